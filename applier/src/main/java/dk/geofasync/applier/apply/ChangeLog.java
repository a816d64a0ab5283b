package dk.geofasync.applier.apply;

import static dk.geofasync.db.jooq.Tables.CHANGE_LOG;

import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.db.SyncSchema;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/** {@code sync.change_log}: what was changed in GeoFA, per column, from what to what; sensitive values masked. */
final class ChangeLog {

    static final String MASK = "***";

    private final DSLContext dsl;

    ChangeLog(DataSource dataSource) {
        this.dsl = SyncSchema.dsl(dataSource);
    }

    /** One row per GeoFA column in {@code newValues} (old values by GeoFA column, where known). */
    void record(ChangeEvent e, TableMapping table, Optional<UUID> objektId, Map<String, Object> oldValues, Map<String, Object> newValues) {
        var insert = dsl.insertInto(CHANGE_LOG, CHANGE_LOG.EVENT_ID, CHANGE_LOG.SOURCE_TABLE, CHANGE_LOG.ROW_KEY, CHANGE_LOG.THEME,
                CHANGE_LOG.OBJEKT_ID, CHANGE_LOG.OP, CHANGE_LOG.COLUMN_NAME, CHANGE_LOG.OLD_VALUE, CHANGE_LOG.NEW_VALUE);
        java.util.Set<String> columns = new java.util.LinkedHashSet<>(newValues.keySet());
        columns.addAll(oldValues.keySet());
        for (String column : columns) {
            boolean sensitive = table.sensitiveColumns().contains(column);
            insert = insert.values(e.eventId(), e.sourceTable(), e.rowKey(), table.theme().name(), objektId.orElse(null), e.op().code(),
                    column, text(oldValues.get(column), sensitive), text(newValues.get(column), sensitive));
        }
        if (!columns.isEmpty()) {
            insert.execute();
        }
    }

    private static String text(Object value, boolean sensitive) {
        return value == null ? null : sensitive ? MASK : value.toString();
    }
}
