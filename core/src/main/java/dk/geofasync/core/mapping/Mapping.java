package dk.geofasync.core.mapping;

import java.util.List;
import java.util.Optional;

/** The validated mapping: every VK table that syncs and how. Built only by {@link MappingLoader}. */
public record Mapping(String source, List<TableMapping> tables) {

    public Mapping {
        tables = List.copyOf(tables);
    }

    public Optional<TableMapping> table(VkTable table) {
        return tables.stream().filter(t -> t.table().equals(table)).findFirst();
    }

    /** Looks a table up by {@code schema.table} as it appears in the outbox and in events. */
    public Optional<TableMapping> table(String qualifiedName) {
        return VkTable.parse(qualifiedName).flatMap(this::table);
    }
}
