package dk.geofasync.core.mapping;

import java.util.Optional;

/** A table of the VK database, by schema and name (e.g. {@code vk.fac_pkt}). */
public record VkTable(String schema, String name) {

    public VkTable {
        if (!SqlIdentifier.isValid(schema) || !SqlIdentifier.isValid(name)) {
            throw new IllegalArgumentException("not a valid table name: " + schema + "." + name);
        }
    }

    /** Reads {@code schema.table}, or {@code table} in schema {@code public}; empty when either part is invalid. */
    public static Optional<VkTable> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length == 1 && SqlIdentifier.isValid(parts[0])) {
            return Optional.of(new VkTable("public", parts[0]));
        }
        if (parts.length == 2 && SqlIdentifier.isValid(parts[0]) && SqlIdentifier.isValid(parts[1])) {
            return Optional.of(new VkTable(parts[0], parts[1]));
        }
        return Optional.empty();
    }

    /** {@code "schema"."name"}, ready for SQL. */
    public String quoted() {
        return SqlIdentifier.quote(schema) + "." + SqlIdentifier.quote(name);
    }

    /** {@code schema.name}: how the table is named in the outbox, in events and in messages. */
    @Override
    public String toString() {
        return schema + "." + name;
    }
}
