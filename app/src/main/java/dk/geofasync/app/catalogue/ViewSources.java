package dk.geofasync.app.catalogue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which column of a theme view shows which code list's text, read from the view's definition as
 * PostgreSQL prints it ({@code pg_get_viewdef}): {@code k6.handicapegnet AS handikap} with
 * {@code LEFT JOIN fkg.d_basis_handicapegnet k6 ON ((t.handicap_k = k6.handicapegnet_kode))} makes
 * {@code handikap} a label derived from {@code handicap_k}. PostgreSQL has no column-level lineage for
 * view outputs, so the definition is the only source.
 */
final class ViewSources {

    private static final Pattern JOIN = Pattern.compile(
            "JOIN fkg\\.(\\w+) (\\w+) ON \\(\\(\\(?(\\w+)\\.(\\w+)\\)?(?:::\\w+)? = \\(?(\\w+)\\.(\\w+)\\)?(?:::\\w+)?\\)\\)");
    private static final Pattern OUTPUT = Pattern.compile(
            "^\\s*\\(?(\\w+)\\.(\\w+)\\)?(?:::[\\w ()]+?)?(?: AS (\\w+))?,?\\s*$", Pattern.MULTILINE);

    private final Map<String, String> derivedFrom = new HashMap<>();

    ViewSources(String definition) {
        Map<String, String> joinedOn = new HashMap<>(); // alias -> column of the other side it joins on
        Matcher j = JOIN.matcher(definition);
        while (j.find()) {
            String alias = j.group(2);
            if (j.group(5).equals(alias)) {
                joinedOn.put(alias, j.group(4));
            } else if (j.group(3).equals(alias)) {
                joinedOn.put(alias, j.group(6));
            }
        }
        Matcher o = OUTPUT.matcher(definition);
        while (o.find()) {
            String alias = o.group(1);
            String output = o.group(3) != null ? o.group(3) : o.group(2);
            String source = joinedOn.get(alias);
            if (source != null) {
                derivedFrom.put(output, source);
            }
        }
    }

    /** The column of the view's tables a derived output column is looked up by, if it is one. */
    Optional<String> derivedFrom(String viewColumn) {
        return Optional.ofNullable(derivedFrom.get(viewColumn));
    }
}
