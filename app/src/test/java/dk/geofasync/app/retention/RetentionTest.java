package dk.geofasync.app.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetentionTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-22T12:00:00+01:00");

    @BeforeAll
    static void schema() {
        SyncSchema.migrate(db.dataSource());
    }

    @Test
    void purgeRemovesExactlyWhatIsOlderThanTheRetentionAndNothingElse() throws Exception {
        // ages in days: just inside the 30 days, just outside, long ago
        for (String age : List.of("29 days 23 hours", "30 days 1 minute", "400 days")) {
            String at = "timestamptz '" + NOW + "' - interval '" + age + "'";
            db.execute("insert into sync.change_log (event_id, source_table, row_key, theme, op, column_name, new_value, applied_at) "
                    + "values ('e-" + age + "', 'vk.t', '1', 't_5800_fac_pkt', 'U', 'navn', 'x', " + at + ")");
            db.execute("insert into sync.inbox (event_id, source_table, row_key, op, state, received_at, handled_at) "
                    + "values ('e-" + age + "', 'vk.t', '1', 'U', 'applied', " + at + ", " + at + ")");
            db.execute("insert into sync.run (kind, started_at, finished_at, outcome) values ('once', " + at + ", " + at + ", 'succeeded')");
            db.execute("insert into sync.dead_letter (event_id, source_table, row_key, op, reason, payload, status, created_at, resolved_at) "
                    + "values ('e-" + age + "', 'vk.t', '1', 'U', 'r', '{}', 'resolved', " + at + ", " + at + ")");
            db.execute("insert into sync.dead_letter (event_id, source_table, row_key, op, reason, payload, created_at) "
                    + "values ('open-" + age + "', 'vk.t', '2', 'U', 'still open', '{}', " + at + ")");
        }
        db.execute("insert into sync.inbox (event_id, source_table, row_key, op, state, received_at) "
                + "values ('in-flight', 'vk.t', '3', 'U', 'received', timestamptz '" + NOW + "' - interval '90 days')");
        db.execute("insert into sync.run (kind, started_at) values ('service', timestamptz '" + NOW + "' - interval '90 days')");
        for (String[] row : new String[][] {{"gone", "25 hours", "true"}, {"kept-published", "23 hours", "true"}, {"kept-unpublished", "90 days", "false"}}) {
            db.execute("insert into sync.outbox (source_table, row_key, op, captured_at, published_at) values ('vk.t', '" + row[0] + "', 'I', "
                    + "timestamptz '" + NOW + "' - interval '" + row[1] + "', " + (row[2].equals("true") ? "timestamptz '" + NOW + "' - interval '"
                    + row[1] + "'" : "null") + ")");
        }

        db.execute("insert into sync.outbox (source_table, row_key, op, captured_at, published_at) values ('vk.t', 'kept-not-handled', 'I', "
                + "timestamptz '" + NOW + "' - interval '25 hours', timestamptz '" + NOW + "' - interval '25 hours')");
        db.execute("insert into sync.inbox (event_id, source_table, row_key, op, state, handled_at) select (select id::text from sync.source) || ':' "
                + "|| id, 'vk.t', row_key, 'I', 'applied', timestamptz '" + NOW + "' - interval '1 hour' from sync.outbox where row_key in ('gone', 'kept-published')");

        db.execute("insert into sync.action (at, who, action, outcome) values (timestamptz '" + NOW + "' - interval '31 days', 'old', 'sync-now', 'done'), "
                + "(timestamptz '" + NOW + "' - interval '29 days', 'kept', 'sync-now', 'done')");

        Retention.Purged purged = new Retention(db.dataSource()).purge(Retention.Policy.DEFAULT, NOW);

        assertThat(purged).isEqualTo(new Retention.Purged(2, 2, 2, 2, 1, 1));
        assertThat(column("select who from sync.action")).as("staff's names go with the retention too").containsExactly("kept");
        assertThat(column("select row_key from sync.outbox order by id")).as("published and handled over a day ago: gone; newer, unhandled "
                + "or unpublished: kept").containsExactly("kept-published", "kept-unpublished", "kept-not-handled");
        assertThat(column("select event_id from sync.change_log")).containsExactly("e-29 days 23 hours");
        assertThat(column("select event_id from sync.inbox where event_id not like '%:%' order by event_id"))
                .containsExactly("e-29 days 23 hours", "in-flight");
        assertThat(column("select event_id from sync.dead_letter order by id"))
                .as("open letters are never purged").containsExactly("e-29 days 23 hours", "open-29 days 23 hours", "open-30 days 1 minute", "open-400 days");
        assertThat(column("select outcome from sync.run order by id")).as("a running run is kept").containsExactly("succeeded", "running");
    }

    @Test
    void purgeKeepsOnlyTheLastNRuns() throws Exception {
        db.execute("delete from sync.run");
        for (int i = 0; i < 5; i++) {
            db.execute("insert into sync.run (kind, started_at, finished_at, outcome) values ('once', timestamptz '" + NOW + "' - interval '"
                    + (5 - i) + " hours', timestamptz '" + NOW + "' - interval '" + (5 - i) + " hours', 'succeeded')");
        }
        Retention.Purged purged = new Retention(db.dataSource()).purge(new Retention.Policy(Duration.ofDays(30), 3), NOW);

        assertThat(purged.runs()).isEqualTo(2);
        assertThat(column("select count(*) from sync.run")).containsExactly("3");
    }

    @Test
    void aPolicyWithoutRetentionIsRefused() {
        assertThatThrownBy(() -> new Retention.Policy(Duration.ZERO, 10)).hasMessageContaining("retention age must be positive");
        assertThatThrownBy(() -> new Retention.Policy(Duration.ofDays(1), 0)).hasMessageContaining("keep at least 1 run");
    }

    private static List<String> column(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
