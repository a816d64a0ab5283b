package dk.geofasync.app.status;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Status as staff read it from VK, without Kafka. */
class StatusReaderTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    @BeforeAll
    static void schema() {
        SyncSchema.migrate(db.dataSource());
    }

    @Test
    void eventWaitingUnhandledNearKafkasRetentionIsFlaggedUntilTheApplierHandlesIt() {
        db.execute("insert into sync.outbox (source_table, row_key, op, captured_at, published_at) "
                + "values ('vk.t', '1', 'U', now() - interval '4 days', now() - interval '4 days')");
        StatusReader reader = new StatusReader(db.dataSource(), Optional.empty(), "g", "t");

        SyncStatus waiting = reader.read(0, 0);
        assertThat(waiting.oldestUnhandled()).hasValueSatisfying(age -> assertThat(age).isGreaterThan(Duration.ofDays(3)));
        assertThat(waiting.retentionWarning()).hasValueSatisfying(w -> assertThat(w).contains("4 days ago is not applied yet"));
        assertThat(waiting.needsAttention()).isTrue();
        assertThat(StatusPage.html(waiting)).contains("id=\"retention\"");

        db.execute("insert into sync.inbox (event_id, source_table, row_key, op, state, handled_at) "
                + "select (select id::text from sync.source) || ':' || id, source_table, row_key, op, 'applied', now() from sync.outbox");
        assertThat(reader.read(0, 0).retentionWarning()).isEmpty();
    }

    @Test
    void stageThatKeepsFailingIsShownToStaff() {
        SyncStatus status = new StatusReader(db.dataSource(), Optional.empty(), "g", "t").read(0, 0)
                .withServiceProblems(java.util.List.of("applier stopped since 2026-12-01T21:00Z: <cannot note 3 events>"));

        assertThat(status.needsAttention()).isTrue();
        assertThat(StatusPage.html(status)).contains("applier stopped since 2026-12-01T21:00Z: &lt;cannot note 3 events&gt;");
        assertThat(StatusReport.json(status).path("service_problems").get(0).asText()).startsWith("applier stopped");
    }
}
