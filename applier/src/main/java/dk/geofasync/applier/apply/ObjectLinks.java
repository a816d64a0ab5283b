package dk.geofasync.applier.apply;

import static dk.geofasync.db.jooq.Tables.OBJECT_LINK;

import dk.geofasync.db.SyncSchema;
import dk.geofasync.db.jooq.tables.records.ObjectLinkRecord;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * {@code sync.object_link}: which GeoFA object each VK row is, and the create intent. Each write
 * commits on its own, so an intent is durable before the create it announces is sent.
 */
final class ObjectLinks {

    /** A VK row's link. */
    record Link(String state, Optional<UUID> objektId, Optional<UUID> versionsId) {
        boolean createPending() {
            return state.equals("create_pending");
        }

        boolean linked() {
            return state.equals("linked");
        }
    }

    private final DSLContext dsl;

    ObjectLinks(DataSource dataSource) {
        this.dsl = SyncSchema.dsl(dataSource);
    }

    Optional<Link> find(String table, String key) {
        return dsl.selectFrom(OBJECT_LINK).where(OBJECT_LINK.SOURCE_TABLE.eq(table), OBJECT_LINK.ROW_KEY.eq(key))
                .fetchOptional().map(r -> new Link(r.getState(), Optional.ofNullable(r.getObjektId()), Optional.ofNullable(r.getVersionsId())));
    }

    /** Records, before it is sent, that a create of this row is about to go to GeoFA. */
    void intendCreate(String table, String key, String theme, String correlationKey) {
        ObjectLinkRecord r = dsl.newRecord(OBJECT_LINK);
        r.setSourceTable(table);
        r.setRowKey(key);
        r.setTheme(theme);
        r.setCorrelationKey(correlationKey);
        r.setState("create_pending");
        r.setCreateSentAt(java.time.OffsetDateTime.now());
        dsl.insertInto(OBJECT_LINK).set(r)
                .onConflict(OBJECT_LINK.SOURCE_TABLE, OBJECT_LINK.ROW_KEY).doUpdate()
                .set(OBJECT_LINK.STATE, "create_pending")
                .set(OBJECT_LINK.CREATE_SENT_AT, java.time.OffsetDateTime.now())
                .execute();
    }

    void linked(String table, String key, String theme, String correlationKey, UUID objektId, UUID versionsId) {
        dsl.insertInto(OBJECT_LINK)
                .set(OBJECT_LINK.SOURCE_TABLE, table).set(OBJECT_LINK.ROW_KEY, key).set(OBJECT_LINK.THEME, theme)
                .set(OBJECT_LINK.CORRELATION_KEY, correlationKey).set(OBJECT_LINK.STATE, "linked")
                .set(OBJECT_LINK.OBJEKT_ID, objektId).set(OBJECT_LINK.VERSIONS_ID, versionsId)
                .set(OBJECT_LINK.LAST_SYNCED_AT, java.time.OffsetDateTime.now())
                .onConflict(OBJECT_LINK.SOURCE_TABLE, OBJECT_LINK.ROW_KEY).doUpdate()
                .set(OBJECT_LINK.STATE, "linked").set(OBJECT_LINK.OBJEKT_ID, objektId).set(OBJECT_LINK.VERSIONS_ID, versionsId)
                .set(OBJECT_LINK.LAST_SYNCED_AT, java.time.OffsetDateTime.now())
                .execute();
    }

    void versioned(String table, String key, UUID versionsId) {
        dsl.update(OBJECT_LINK).set(OBJECT_LINK.VERSIONS_ID, versionsId).set(OBJECT_LINK.LAST_SYNCED_AT, java.time.OffsetDateTime.now())
                .where(OBJECT_LINK.SOURCE_TABLE.eq(table), OBJECT_LINK.ROW_KEY.eq(key)).execute();
    }

    void deleted(String table, String key) {
        dsl.update(OBJECT_LINK).set(OBJECT_LINK.STATE, "deleted").set(OBJECT_LINK.LAST_SYNCED_AT, java.time.OffsetDateTime.now())
                .where(OBJECT_LINK.SOURCE_TABLE.eq(table), OBJECT_LINK.ROW_KEY.eq(key)).execute();
    }
}
