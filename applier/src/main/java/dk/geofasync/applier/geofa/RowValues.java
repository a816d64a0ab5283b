package dk.geofasync.applier.geofa;

import java.util.regex.Pattern;

/**
 * Keeps an object's values out of GeoFA's messages: PostgreSQL's {@code DETAIL: Failing row contains
 * (...)} of a CHECK or not-null refusal repeats the whole row, personal data such as {@code kontak_ved}
 * included, and that text would otherwise be logged, stored in dead letters, shown on the status page
 * and published on the dead-letter topic. The constraint, the column and the reason stay.
 */
public final class RowValues {

    /** The row tuple runs to the message's end (its values may hold line breaks), so all of that goes. */
    private static final Pattern FAILING_ROW = Pattern.compile("Failing row contains .*", Pattern.DOTALL);
    static final String WITHHELD = "Failing row contains (values withheld by geofa-sync)";
    /** A unique violation repeats the key's value (a code list's {@code is not present} stays: its value is a code). */
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Key \\(([^)]*)\\)=\\((.*?)\\) already exists", Pattern.DOTALL);
    /** {@code invalid input syntax for type integer: "…"} quotes the value. */
    private static final Pattern INVALID_INPUT = Pattern.compile("(invalid input syntax for type [\\w ]+): \"[^\"]*\"");

    private RowValues() {
    }

    /** {@code message} without the values of the row GeoFA refused. */
    public static String withheld(String message) {
        String m = FAILING_ROW.matcher(message).replaceFirst(WITHHELD);
        m = DUPLICATE_KEY.matcher(m).replaceAll("Key ($1)=(value withheld) already exists");
        return INVALID_INPUT.matcher(m).replaceAll("$1: (value withheld)");
    }
}
