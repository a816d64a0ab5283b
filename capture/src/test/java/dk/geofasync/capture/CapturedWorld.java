package dk.geofasync.capture;

import static dk.geofasync.db.jooq.Tables.OUTBOX;

import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.db.jooq.tables.records.OutboxRecord;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.vk.SampleVk;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/** The sample VK database with the sync schema and capture installed, for the capture tests. */
public final class CapturedWorld {

    public static final int OBJECTS = 60;

    private final PostgisDatabase db;
    private final Mapping mapping = SampleVk.vejleMapping();

    public CapturedWorld(PostgisDatabase db) {
        this.db = db;
    }

    public Mapping mapping() {
        return mapping;
    }

    /** Sample data, sync schema, triggers; an empty outbox. */
    public CapturedWorld build() {
        new SampleVk(db.dataSource(), mapping).reset(OBJECTS, 630);
        SyncSchema.migrate(db.dataSource());
        new CaptureInstaller(db.dataSource()).install(mapping);
        clearOutbox();
        return this;
    }

    public DSLContext dsl() {
        return SyncSchema.dsl(db.dataSource());
    }

    /** How many rows a plain SQL query answers. */
    public int count(String sql, Object... bindings) {
        return dsl().fetch(sql, bindings).size();
    }

    public void clearOutbox() {
        pump();
        db.execute("truncate sync.outbox");
    }

    /** The outbox after the pump moved every captured key into it, as the relay does before each batch. */
    public List<OutboxRecord> outbox() {
        pump();
        return dsl().selectFrom(OUTBOX).orderBy(OUTBOX.ID).fetch();
    }

    /** Moves every captured key into the outbox. */
    public void pump() {
        while (((Number) dsl().fetchValue("select sync.pump_captured_keys(100000)")).longValue() > 0) {
            // until no key is left
        }
    }

    public static Map<String, String> values(org.jooq.postgres.extensions.types.Hstore h) {
        return h == null ? null : h.data();
    }
}
