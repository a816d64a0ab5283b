package dk.geofasync.core.mapping;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The rule for names that come from configuration and end up in SQL (tables, columns): letters,
 * digits and underscores, starting with a letter or underscore, at most 63 bytes (PostgreSQL's
 * limit). Such names are always quoted when put into SQL, so case and Danish letters are kept.
 */
public final class SqlIdentifier {

    private static final Pattern NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*");
    private static final int MAX_BYTES = 63;

    private SqlIdentifier() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches() && name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    /** Why {@code name} is not a valid identifier, in words; only call when {@link #isValid} is false. */
    public static String whyInvalid(String name) {
        if (name == null || name.isEmpty()) {
            return "the name is empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "'" + name + "' is longer than PostgreSQL's 63 bytes";
        }
        return "'" + name + "' may hold only letters, digits and _ and must not start with a digit";
    }

    /** {@code text} as a SQL string literal, for generated DDL that cannot take bind parameters. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** {@code name} as a quoted SQL identifier. Rejects invalid names, so quoting is never the only defence. */
    public static String quote(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("not a valid SQL identifier: " + whyInvalid(name));
        }
        return '"' + name + '"';
    }
}
