package dk.geofasync.core.mapping;

import dk.geofasync.core.fkg.FkgType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A rule applied to a VK value on its way to GeoFA, named in the mapping file in lower case. */
public enum Transform {
    /** Removes leading and trailing white space. */
    TRIM,
    /** An empty text becomes null (GeoFA then stores no value rather than ''). */
    EMPTY_AS_NULL,
    UPPER,
    LOWER,
    /**
     * A date of any year becomes the same day and month in year 1 ({@code 2024-06-15} -> {@code 0001-06-15}):
     * the FKG model keeps recurring dates (a season's start and end) that way and refuses any other year.
     * Year 1 is no leap year, so 29 February becomes 28 February (the season stays in February).
     */
    DAY_MONTH;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Transform> fromConfigName(String name) {
        return Arrays.stream(values()).filter(t -> t.configName().equals(name)).findFirst();
    }

    /** Why the rule cannot feed a GeoFA column of {@code type}, or empty when it can. */
    Optional<String> unfitFor(FkgType type) {
        if (this == DAY_MONTH && type != FkgType.DATE) {
            return Optional.of("day_month makes a date, and GeoFA's column is " + type.sqlName());
        }
        return Optional.empty();
    }

    String apply(String value) {
        return switch (this) {
            case TRIM -> value.strip();
            case EMPTY_AS_NULL -> value.isEmpty() ? null : value;
            case UPPER -> value.toUpperCase(Locale.ROOT);
            case LOWER -> value.toLowerCase(Locale.ROOT);
            case DAY_MONTH -> dayMonth(value);
        };
    }

    /**
     * {@code yyyy-mm-dd} (a timestamp's time is dropped) as {@code 0001-mm-dd}. Anything else passes
     * unchanged, so GeoFA's own check refuses it and the dead letter names the column.
     */
    private static String dayMonth(String value) {
        String text = value.strip();
        if (text.length() < 10) {
            return value;
        }
        try {
            // withYear keeps day and month, and moves 29 February to the 28th of a non-leap year
            return LocalDate.parse(text.substring(0, 10)).withYear(1).toString();
        } catch (DateTimeParseException e) {
            return value;
        }
    }
}
