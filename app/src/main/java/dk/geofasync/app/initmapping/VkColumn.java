package dk.geofasync.app.initmapping;

import dk.geofasync.core.fkg.FkgType;
import java.util.Optional;

/**
 * One column of a VK table as the database describes it: name, PostgreSQL type ({@code udt_name}),
 * the FKG type that corresponds to it (none for types GeoFA has no counterpart of), and whether it
 * is the table's one-column primary key.
 */
public record VkColumn(String name, String udtName, Optional<FkgType> type, boolean primaryKey) {

    public boolean isGeometry() {
        return type.filter(t -> t == FkgType.GEOMETRY).isPresent();
    }

    public boolean isUuid() {
        return type.filter(t -> t == FkgType.UUID).isPresent();
    }
}
