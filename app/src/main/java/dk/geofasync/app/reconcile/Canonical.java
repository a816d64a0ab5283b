package dk.geofasync.app.reconcile;

import dk.geofasync.core.fkg.FkgType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The canonical text of a GeoFA column's value, computed alike in Java (from the text geofa-sync
 * would send, after the mapping's rules) and in SQL (from the value GeoFA stores): equal values
 * give equal text, so a row's hash made in VK compares with the one GeoFA makes. Both halves live
 * here, side by side, because they must change together. A text Java cannot read as the column's
 * type gets a mark no stored value has: GeoFA cannot hold it, so it always differs.
 */
final class Canonical {

    /** Geometries compare snapped to this grid, in metres of EPSG:25832: GeoFA stores what it gets, and 1 mm is below any survey's accuracy. */
    static final String GRID = "0.001";
    /** Decimal places a double precision column compares at (GeoFA's float8 and VK's text of it differ beyond 15 digits). */
    static final int DOUBLE_SCALE = 6;

    private static final String UNREADABLE = "\u0001";
    private static final Set<String> TRUE = Set.of("t", "true", "y", "yes", "on", "1");
    private static final Set<String> FALSE = Set.of("f", "false", "n", "no", "off", "0");

    private Canonical() {
    }

    /** The canonical text of {@code value} (what geofa-sync sends GeoFA for a column of {@code type}); empty for null. Not for geometry. */
    static Optional<String> ofJava(FkgType type, Optional<String> value) {
        return value.map(v -> switch (type) {
            case INTEGER, BIGINT -> wholeNumber(v);
            case NUMERIC -> decimal(v, Optional.empty());
            case DOUBLE -> decimal(v, Optional.of(DOUBLE_SCALE));
            case BOOLEAN -> bool(v);
            case DATE -> date(v);
            case UUID -> v.strip().toLowerCase(Locale.ROOT);
            case CHAR -> v.replaceAll(" +$", ""); // PostgreSQL drops a char(n)'s trailing blanks when it becomes text
            case VARCHAR, TEXT, JSONB, TIMESTAMPTZ, GEOMETRY -> v;
        });
    }

    /** The SQL expression of the canonical text of {@code column} (a column reference) of {@code type}; null for null. Not for geometry. */
    static String ofSql(FkgType type, String column) {
        return switch (type) {
            case NUMERIC -> withoutTrailingZeros("cast(" + column + " as text)");
            case DOUBLE -> withoutTrailingZeros("cast(round(cast(" + column + " as numeric), " + DOUBLE_SCALE + ") as text)");
            case DATE -> "to_char(" + column + ", 'YYYY-MM-DD')";
            default -> "cast(" + column + " as text)";
        };
    }

    /** The SQL expression of a geometry's canonical text: the MD5 of its 2D WKB on the grid (PostGIS computes it in VK and in GeoFA alike). */
    static String geometrySql(String geometry) {
        return "md5(st_asbinary(st_snaptogrid(st_force2d(st_multi(" + geometry + ")), " + GRID + ")))";
    }

    /**
     * One value in a row's text: its length and itself, or {@code N} for null, so no two rows'
     * sequences of values make the same text. Lengths count characters, as PostgreSQL's char_length.
     */
    static String encode(Optional<String> canonical) {
        return canonical.map(c -> "V" + c.codePointCount(0, c.length()) + ":" + c).orElse("N");
    }

    /** {@link #encode} in SQL. */
    static String encodeSql(String canonical) {
        return "coalesce('V' || char_length(" + canonical + ") || ':' || " + canonical + ", 'N')";
    }

    /** The first 60 bits of the MD5 of {@code text} (UTF-8), as a non-negative number: what {@link #hashSql} computes. */
    static long hash(String text) {
        byte[] d = MD5.get().digest(text.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = h << 8 | (d[i] & 0xff);
        }
        return h >>> 4; // the first 15 hex digits: 60 bits
    }

    /** {@link #hash} in SQL, as a bigint. */
    static String hashSql(String text) {
        return "cast(cast('x' || left(md5(" + text + "), 15) as bit(60)) as bigint)";
    }

    /** A short hash of one column's encoded value, to tell which columns of a row differ. */
    static String columnHash(String encoded) {
        return md5(encoded).substring(0, 8);
    }

    /** {@link #columnHash} in SQL. */
    static String columnHashSql(String encoded) {
        return "left(md5(" + encoded + "), 8)";
    }

    /** The bucket of a correlation key: the first {@code digits} hex digits of its MD5 (as {@link #bucketSql}). */
    static String bucket(String noegle, int digits) {
        return md5(noegle).substring(0, digits);
    }

    static String bucketSql(String noegle, int digits) {
        return "left(md5(" + noegle + "), " + digits + ")";
    }

    static String md5(String text) {
        return HEX.formatHex(MD5.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final HexFormat HEX = HexFormat.of();
    /** A digest per thread: getting one costs more than hashing a row. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no MD5", e);
        }
    });

    private static String withoutTrailingZeros(String text) {
        return "case when " + text + " like '%.%' then rtrim(rtrim(" + text + ", '0'), '.') else " + text + " end";
    }

    private static String wholeNumber(String v) {
        try {
            return Long.toString(Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            return UNREADABLE + v;
        }
    }

    private static String decimal(String v, Optional<Integer> scale) {
        try {
            // a double as PostgreSQL casts float8 to numeric: its exact value to 15 significant digits, whatever the server's
            // extra_float_digits; then rounded as numeric's round(), half away from zero
            BigDecimal d = scale.isPresent()
                    ? new BigDecimal(Double.parseDouble(v.strip())).round(new java.math.MathContext(15, RoundingMode.HALF_EVEN))
                            .setScale(scale.get(), RoundingMode.HALF_UP)
                    : new BigDecimal(v.strip());
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return UNREADABLE + v;
        }
    }

    private static String bool(String v) {
        String b = v.strip().toLowerCase(Locale.ROOT);
        return TRUE.contains(b) ? "true" : FALSE.contains(b) ? "false" : UNREADABLE + v;
    }

    private static String date(String v) {
        String d = v.strip();
        try {
            return LocalDate.parse(d.length() > 10 ? d.substring(0, 10) : d).toString();
        } catch (DateTimeParseException e) {
            return UNREADABLE + v;
        }
    }
}
