package dk.geofasync.app.datacheck;

import dk.geofasync.core.mapping.TableMapping;
import java.io.PrintWriter;

/** check-data's report for people: per table each refused value on a line of its own (key, column, reason, value), then the counts. */
public final class TextFindings implements Findings {

    /** How much of a value a line shows; a longer text's start is enough to find it. */
    static final int SHOWN_CHARACTERS = 60;

    private final PrintWriter out;

    public TextFindings(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void tableStarted(TableMapping table) {
        out.println(table.table() + " -> GeoFA " + table.theme().name());
        out.flush();
    }

    @Override
    public void refused(Finding f) {
        String value = f.masked() ? " (value not shown: personal data)" : f.value().map(v -> " (value " + shown(v) + ")").orElse("");
        out.println("  key " + f.key() + ", column " + f.column() + ": " + f.reason() + value);
    }

    @Override
    public void tableDone(TableMapping table, long rows, long refusedRows) {
        out.println("  " + rows + " rows read, " + (refusedRows == 0 ? "none" : refusedRows) + " GeoFA would refuse");
        out.flush();
    }

    @Override
    public void done(long rows, long refusedRows) {
        out.println(refusedRows == 0 ? "check-data: GeoFA would take all " + rows + " rows (nothing was sent)"
                : "check-data: GeoFA would refuse " + refusedRows + " of " + rows + " rows; fix them in VK (nothing was sent)");
        out.flush();
    }

    /** Quoted, on one line (control characters escaped, so a value cannot forge lines), shortened past {@link #SHOWN_CHARACTERS}. */
    static String shown(String value) {
        StringBuilder s = new StringBuilder("'");
        int[] codePoints = value.codePoints().toArray();
        for (int i = 0; i < codePoints.length && i < SHOWN_CHARACTERS; i++) {
            int cp = codePoints[i];
            switch (cp) {
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (Character.isISOControl(cp)) {
                        s.append(String.format("\\u%04x", cp));
                    } else {
                        s.appendCodePoint(cp);
                    }
                }
            }
        }
        s.append('\'');
        if (codePoints.length > SHOWN_CHARACTERS) {
            s.append("… (").append(codePoints.length).append(" characters)");
        }
        return s.toString();
    }
}
