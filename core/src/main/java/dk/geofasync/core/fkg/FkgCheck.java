package dk.geofasync.core.fkg;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CHECK constraint of the FKG model on one column: its name (as GeoFA's error message names it), its
 * SQL text, and the rule it amounts to when that is simple enough for geofa-sync to check before
 * sending (a range, a fixed year, a list of values).
 */
public record FkgCheck(String name, String expression, Rule rule) {

    private static final String BOUND = "(?:\\(([-0-9.]+)\\)|\\('([^']*)'::[a-z ]+\\)|'([^']*)'|([-0-9.]+))(?:::[a-z ]+)?";
    private static final Pattern RANGE = Pattern.compile(
            "CHECK \\(\\(\\((\\w+) >= " + BOUND + "\\) AND \\(\\1 <= " + BOUND + "\\)\\)\\)");
    private static final Pattern YEAR = Pattern.compile(
            "CHECK \\(\\(date_part\\('year'::text, (\\w+)\\) = \\(?(-?\\d+)\\)?(?:::double precision)?\\)\\)");
    private static final Pattern ONE_OF = Pattern.compile("CHECK \\(\\((\\w+) = ANY \\(ARRAY\\[(.*)\\]\\)\\)\\)");
    private static final Pattern LIST_ITEM = Pattern.compile("'([^']*)'(?:::[a-z ]+)?|(-?[0-9.]+)");

    /**
     * The check PostgreSQL shows as {@code expression} ({@code pg_get_constraintdef}), with its rule when
     * it has one of the shapes the FKG model uses; otherwise {@link Opaque}.
     */
    public static FkgCheck of(String name, String expression) {
        Matcher m = RANGE.matcher(expression);
        if (m.matches()) {
            return new FkgCheck(name, expression, new Range(bound(m, 2), bound(m, 6)));
        }
        m = YEAR.matcher(expression);
        if (m.matches()) {
            return new FkgCheck(name, expression, new Year(Integer.parseInt(m.group(2))));
        }
        m = ONE_OF.matcher(expression);
        if (m.matches()) {
            List<String> values = new ArrayList<>();
            Matcher item = LIST_ITEM.matcher(m.group(2));
            while (item.find()) {
                values.add(item.group(1) != null ? item.group(1) : item.group(2));
            }
            return new FkgCheck(name, expression, new OneOf(values));
        }
        return new FkgCheck(name, expression, new Opaque());
    }

    private static Optional<String> bound(Matcher m, int first) {
        for (int g = first; g < first + 4; g++) {
            if (m.group(g) != null) {
                return Optional.of(m.group(g));
            }
        }
        return Optional.empty();
    }

    /** What the CHECK allows. */
    public sealed interface Rule {
    }

    /** {@code col >= min AND col <= max}; bounds as the model writes them: numbers or ISO dates. */
    public record Range(Optional<String> min, Optional<String> max) implements Rule {
    }

    /** {@code date_part('year', col) = year}: GeoFA keeps day and month only, in year 1. */
    public record Year(int year) implements Rule {
    }

    /** {@code col = ANY (ARRAY[...])}. */
    public record OneOf(List<String> values) implements Rule {
        public OneOf {
            values = List.copyOf(values);
        }
    }

    /** A CHECK geofa-sync cannot evaluate itself; GeoFA checks it. */
    public record Opaque() implements Rule {
    }

    /** The rule in a few plain words, for staff: "between 0.1 and 500.99". */
    public String describe() {
        if (rule instanceof Range r) {
            if (r.min().isPresent() && r.max().isPresent()) {
                return "between " + r.min().get() + " and " + r.max().get();
            }
            return r.min().map(m -> "at least " + m).orElseGet(() -> "at most " + r.max().orElse("?"));
        }
        if (rule instanceof Year y) {
            return "a date in year " + y.year() + " (GeoFA keeps day and month only)";
        }
        if (rule instanceof OneOf o) {
            return "one of " + String.join(", ", o.values());
        }
        return "allowed by " + expression;
    }
}
