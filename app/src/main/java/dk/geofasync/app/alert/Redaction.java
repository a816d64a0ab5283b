package dk.geofasync.app.alert;

import java.util.regex.Pattern;

/**
 * Takes values out of a text before it is mailed: GeoFA's and PostgreSQL's messages quote the value
 * they refused ({@code invalid input syntax for type integer: "…"}, {@code Key (navn)=(…)}), and a
 * value may be a name or a phone number. What stays is what a person needs: the kind of error, the
 * column, the constraint.
 */
final class Redaction {

    private static final Pattern DOUBLE_QUOTED = Pattern.compile("\"[^\"\\n]*\"");
    /** Not an apostrophe: "GeoFA's code list" keeps its words. */
    private static final Pattern SINGLE_QUOTED = Pattern.compile("(?<![\\p{L}\\d])'[^'\\n]*'(?![\\p{L}\\d])");
    private static final Pattern KEY_VALUES = Pattern.compile("\\)=\\([^)\\n]*\\)");

    private Redaction() {
    }

    static String withoutValues(String text) {
        String t = KEY_VALUES.matcher(text).replaceAll(")=(…)");
        t = DOUBLE_QUOTED.matcher(t).replaceAll("\"…\"");
        return SINGLE_QUOTED.matcher(t).replaceAll("'…'");
    }
}
