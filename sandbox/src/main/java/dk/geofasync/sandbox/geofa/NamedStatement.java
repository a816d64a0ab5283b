package dk.geofasync.sandbox.geofa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One SQL statement with GC2's {@code :name} parameters, rewritten for JDBC ({@code ?}) with the
 * parameter names in order. Skips string literals, quoted identifiers, comments and {@code ::} casts,
 * and refuses a second statement, as GeoFA's SQL API runs exactly one.
 */
record NamedStatement(String jdbcSql, List<String> parameterNames, Kind kind) {

    /** What the statement does; GeoFA checks affected rows of updates and deletes. */
    enum Kind { SELECT, INSERT, UPDATE, DELETE }

    static NamedStatement parse(String q) {
        if (q == null || q.isBlank()) {
            throw new IllegalArgumentException("q is missing: the request needs one SQL statement");
        }
        StringBuilder sql = new StringBuilder(q.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = q.length();
        while (i < n) {
            char c = q.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closing(q, i, c);
                sql.append(q, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && q.charAt(i + 1) == '-') {
                int end = q.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == ':' && i + 1 < n && q.charAt(i + 1) == ':') {
                sql.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && (Character.isLetter(q.charAt(i + 1)) || q.charAt(i + 1) == '_')) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(q.charAt(end)) || q.charAt(end) == '_')) {
                    end++;
                }
                names.add(q.substring(i + 1, end));
                sql.append('?');
                i = end;
            } else if (c == ';') {
                if (!q.substring(i + 1).isBlank()) {
                    throw new IllegalArgumentException("only one SQL statement per request");
                }
                i = n;
            } else {
                sql.append(c);
                i++;
            }
        }
        return new NamedStatement(sql.toString().strip(), List.copyOf(names), kindOf(q));
    }

    private static int closing(String q, int start, char quote) {
        int i = start + 1;
        while (i < q.length()) {
            if (q.charAt(i) == quote) {
                if (i + 1 < q.length() && q.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unterminated " + (quote == '\'' ? "string" : "quoted name") + " in the statement");
    }

    private static Kind kindOf(String q) {
        String first = q.stripLeading().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return switch (first) {
            case "select", "with" -> Kind.SELECT;
            case "insert" -> Kind.INSERT;
            case "update" -> Kind.UPDATE;
            case "delete" -> Kind.DELETE;
            default -> throw new IllegalArgumentException("the SQL API takes select, insert, update or delete, not: " + first);
        };
    }
}
