package dk.geofasync.core.fkg;

import java.util.Map;

/**
 * One value of a GeoFA code list: the code a column holds, its text (begrebsværdi), whether it is in
 * use, and the list's other columns where it has some ({@code kommunekode} of an authority's CVR code,
 * which GeoFA's views show as derived columns).
 */
public record FkgCode(String code, String label, boolean active, Map<String, String> extra) {

    public FkgCode {
        extra = Map.copyOf(extra);
    }

    public FkgCode(String code, String label, boolean active) {
        this(code, label, active, Map.of());
    }

    /** Whether a code list's {@code aktiv} value, as text, means in use; a list without the column has every code in use. */
    public static boolean activeFlag(String aktiv) {
        return aktiv == null || aktiv.equals("1") || aktiv.equalsIgnoreCase("true") || aktiv.equals("t");
    }
}
