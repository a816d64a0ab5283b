package dk.geofasync.app.initmapping;

import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.mapping.VkTable;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ColumnMatcher} proposes for one VK table and GeoFA theme: the key, the column that
 * receives objekt_id (an existing one, or the name of one to add), the matched columns, the VK columns
 * left out and why, and the required GeoFA columns nothing fills yet.
 */
public record MappingProposal(
        VkTable table,
        FkgTheme theme,
        Optional<String> key,
        String objektIdColumn,
        boolean objektIdColumnExists,
        List<Match> columns,
        List<Unmatched> unmatched,
        List<FkgColumn> missingRequired) {

    public MappingProposal {
        columns = List.copyOf(columns);
        unmatched = List.copyOf(unmatched);
        missingRequired = List.copyOf(missingRequired);
    }

    /** How a VK column was matched to its GeoFA column; all but the first two deserve a look. */
    public enum How {
        /** The same name. */
        SAME_NAME,
        /** The same name but for case, underscores or æ/ø/å spelt out. */
        SAME_NAME_SPELT_OTHERWISE,
        /** A name a few letters apart. */
        CLOSE_NAME,
        /** The table's geometry column, matched by its type. */
        GEOMETRY
    }

    /** A VK column sent to a GeoFA column. */
    public record Match(String vkColumn, String geofaColumn, How how) {
    }

    /** A VK column the proposal does not sync, and why. */
    public record Unmatched(String vkColumn, String reason) {
    }
}
