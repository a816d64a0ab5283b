package dk.geofasync.core.fkg;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Whether one value, as text, is one GeoFA would store in a column: its type, length, code list and
 * CHECK rules, exactly as the catalogue has them from the real model. Pure, so the mapping check,
 * {@code check-data} and the applier's check before sending all judge alike. Required columns and
 * geometries are judged by their callers (they need the whole row or a geometry library).
 */
public final class ValueCheck {

    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private ValueCheck() {
    }

    /** Which kind of rule a value breaks. */
    public enum Rule {
        REQUIRED, TYPE, LENGTH, CODE_LIST, CHECK, GEOMETRY
    }

    /** A broken rule: which, the constraint's name where GeoFA has one, and the reason in plain words (no value in it). */
    public record Problem(Rule rule, Optional<String> constraint, String reason) {
    }

    /** The first rule {@code value} breaks in {@code column}, or empty when GeoFA would take it. */
    public static Optional<Problem> check(FkgCatalogue catalogue, FkgColumn column, String value) {
        Optional<Problem> type = type(column, value);
        if (type.isPresent()) {
            return type;
        }
        if (column.maxLength().isPresent() && value.codePointCount(0, value.length()) > column.maxLength().getAsInt()) {
            return problem(Rule.LENGTH, Optional.empty(), "longer than the " + column.maxLength().getAsInt()
                    + " characters GeoFA's " + column.sqlType() + " holds (" + value.codePointCount(0, value.length()) + ")");
        }
        // an empty list (the model ships d_vejnavn without roads; GeoFA fills it) is one the catalogue cannot judge
        Optional<FkgCodeList> list = catalogue.codeListOf(column).filter(l -> !l.codes().isEmpty());
        if (list.isPresent() && !list.get().contains(value)) {
            return problem(Rule.CODE_LIST, column.foreignKey(), "not a code of GeoFA's code list " + list.get().name());
        }
        for (FkgCheck check : column.checks()) {
            if (!allows(check.rule(), column.type(), value)) {
                return problem(Rule.CHECK, Optional.of(check.name()), "must be " + check.describe());
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> type(FkgColumn column, String value) {
        FkgType t = column.type();
        try {
            if (t.isWholeNumber()) {
                BigDecimal n = new BigDecimal(value.trim());
                if (n.stripTrailingZeros().scale() > 0) {
                    return problem(Rule.TYPE, Optional.empty(), "GeoFA's " + column.sqlType() + " takes a whole number");
                }
                boolean fits = t == FkgType.INTEGER ? n.compareTo(INT_MIN) >= 0 && n.compareTo(INT_MAX) <= 0
                        : n.compareTo(LONG_MIN) >= 0 && n.compareTo(LONG_MAX) <= 0;
                return fits ? Optional.empty() : problem(Rule.TYPE, Optional.empty(), "too large for GeoFA's " + column.sqlType());
            }
            if (t == FkgType.DOUBLE || t == FkgType.NUMERIC) {
                new BigDecimal(value.trim());
            } else if (t == FkgType.DATE) {
                date(value);
            } else if (t == FkgType.UUID) {
                java.util.UUID.fromString(value.trim());
            } else if (t == FkgType.BOOLEAN && !value.matches("(?i)t|f|true|false|1|0|yes|no")) {
                return problem(Rule.TYPE, Optional.empty(), "GeoFA's boolean takes true or false");
            }
            return Optional.empty();
        } catch (NumberFormatException e) {
            return problem(Rule.TYPE, Optional.empty(), "GeoFA's " + column.sqlType() + " takes a number");
        } catch (DateTimeParseException e) {
            return problem(Rule.TYPE, Optional.empty(), "GeoFA's date takes a date written yyyy-mm-dd");
        } catch (IllegalArgumentException e) {
            return problem(Rule.TYPE, Optional.empty(), "GeoFA's uuid takes a UUID");
        }
    }

    /** PostgreSQL's text of a timestamptz ({@code 2006-12-31 22:59:00+00}) as an instant. */
    private static java.time.Instant timestamp(String value) {
        String iso = value.trim().replace(' ', 'T').replaceAll("([+-]\\d\\d)$", "$1:00");
        return java.time.OffsetDateTime.parse(iso).toInstant();
    }

    private static LocalDate date(String value) {
        return LocalDate.parse(value.trim().length() > 10 ? value.trim().substring(0, 10) : value.trim());
    }

    private static boolean allows(FkgCheck.Rule rule, FkgType type, String value) {
        try {
            return allowsOrThrows(rule, type, value);
        } catch (RuntimeException e) {
            return true; // a rule geofa-sync cannot evaluate on this value (a bound of a type it does not compare): GeoFA judges
        }
    }

    private static boolean allowsOrThrows(FkgCheck.Rule rule, FkgType type, String value) {
        if (rule instanceof FkgCheck.Range r) {
            return r.min().map(min -> compare(type, value, min) >= 0).orElse(true)
                    && r.max().map(max -> compare(type, value, max) <= 0).orElse(true);
        }
        if (rule instanceof FkgCheck.Year y) {
            return date(value).getYear() == y.year();
        }
        if (rule instanceof FkgCheck.OneOf o) {
            return o.values().stream().anyMatch(v -> type.isNumber()
                    ? new BigDecimal(v).compareTo(new BigDecimal(value.trim())) == 0 : v.equals(value));
        }
        return true; // GeoFA judges what geofa-sync cannot
    }

    private static int compare(FkgType type, String value, String bound) {
        if (type == FkgType.DATE) {
            return date(value).compareTo(LocalDate.parse(bound));
        }
        if (type == FkgType.TIMESTAMPTZ) {
            return timestamp(value).compareTo(timestamp(bound));
        }
        return new BigDecimal(value.trim()).compareTo(new BigDecimal(bound));
    }

    private static Optional<Problem> problem(Rule rule, Optional<String> constraint, String reason) {
        return Optional.of(new Problem(rule, constraint, reason));
    }
}
