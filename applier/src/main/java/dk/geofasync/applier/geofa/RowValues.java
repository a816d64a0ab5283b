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

    private RowValues() {
    }

    /** {@code message} without the values of the row GeoFA refused. */
    public static String withheld(String message) {
        return FAILING_ROW.matcher(message).replaceFirst(WITHHELD);
    }
}
