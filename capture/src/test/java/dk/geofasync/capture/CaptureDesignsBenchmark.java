package dk.geofasync.capture;

import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.vk.SampleVk;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What capture costs the staff's writes, three ways side by side on the 100,000-row facility table,
 * in rounds that alternate them (medians): no capture; the triggers as they were until schema
 * version 11 ({@code until-v11}: an hstore image of old and new row per row, into sync.outbox;
 * their SQL is kept in {@code upgrade/triggers-until-v11.sql}); and today's key capture
 * ({@code keys}: the keys of the touched rows into sync.captured_key, the rest done by the pump).
 * <ul>
 *   <li>single-row UPDATEs of a synced column with pgbench, 4 clients, {@code synchronous_commit=off}
 *       so the figure is CPU-bound, not the disk's fsync (target: with/without >= 0.85);</li>
 *   <li>one bulk UPDATE of a synced column on all rows (target: without/with time >= 0.6);</li>
 *   <li>bytes written per captured update of one column: WAL ({@code pg_current_wal_lsn()}
 *       differences, less what the same updates write without capture) and the change table's own;
 *       for {@code keys} also what its pump writes later, off the staff's write path (WAL, outbox),
 *       and how long the pump takes for the bulk UPDATE's 100,000 keys in relay-sized calls.</li>
 * </ul>
 * Run with {@code ./mvnw -B -ntp verify -Pbench -pl capture -am -Dtest=CaptureDesignsBenchmark};
 * needs pgbench.
 */
@Tag("bench")
class CaptureDesignsBenchmark {

    private static final int ROWS = 100_000;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int SECONDS = 8;
    private static final int SINGLE_UPDATES = 2_000;
    private static final int PUMP_BATCH = 2_000; // the relay's default batch
    private static final String TABLE = "vk.facilitet_punkt";

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    /** A capture design: how to put it in place and take it away, the table its rows go to, and whether a pump follows. */
    private record Design(String name, Step install, Step uninstall, String changeTable, boolean pumped) {
    }

    private interface Step {
        void run() throws Exception;
    }

    @Test
    void captureDesigns() throws Exception {
        Mapping all = SampleVk.vejleMapping();
        TableMapping table = all.table(TABLE).orElseThrow();
        Mapping points = new Mapping(all.source(), List.of(table));
        new SampleVk(db.dataSource(), points).reset(ROWS, 630);
        SyncSchema.migrate(db.dataSource());
        CaptureInstaller installer = new CaptureInstaller(db.dataSource());
        installer.uninstall();
        String legacy = legacyTriggers();
        List<Design> designs = List.of(
                new Design("none", () -> { }, () -> { }, "", false),
                new Design("until-v11", () -> execute(legacy), () -> execute("""
                        drop trigger geofa_sync_capture_insert on vk.facilitet_punkt; drop trigger geofa_sync_capture_update on vk.facilitet_punkt;
                        drop trigger geofa_sync_capture_delete on vk.facilitet_punkt; drop trigger geofa_sync_refuse_truncate on vk.facilitet_punkt;
                        drop function sync.cap_2_vk_facilitet_punkt_i; drop function sync.cap_2_vk_facilitet_punkt_u; drop function sync.cap_2_vk_facilitet_punkt_d;
                        """), "sync.outbox", false),
                new Design("keys", () -> installer.install(points), installer::uninstall, "sync.captured_key", true));
        Path script = Files.createTempFile("capture-designs", ".sql");
        Files.writeString(script, """
                \\set id random(1, %d)
                update vk.facilitet_punkt set navn = 'Bænk ' || :id || ' ' || random() where id = :id;
                """.formatted(ROWS));

        Map<String, List<double[]>> figures = new LinkedHashMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            int value = round * 100;
            for (Design d : designs) {
                d.install().run();
                double[] measured;
                try {
                    measured = measure(d, script, round, ++value); // a new value each time: every row really changes
                } finally {
                    d.uninstall().run(); // never leave a design's triggers behind on the table the other designs use
                }
                figures.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(measured);
                System.out.printf(Locale.ROOT, "BENCH capture design %-9s round %d: single-row tps %.0f, bulk update %.2f s, bulk WAL %,.0f B, "
                        + "change table %,.0f B, %d single updates WAL %,.0f B; pump %.2f s, pump WAL %,.0f B, outbox %,.0f B%n", d.name(), round,
                        measured[0], measured[1], measured[2], measured[3], SINGLE_UPDATES, measured[4], measured[6], measured[7], measured[8]);
            }
        }
        report(designs, figures);
    }

    /** The SQL install-triggers ran for the bench table until schema version 11. */
    private static String legacyTriggers() throws Exception {
        String all = new String(CaptureDesignsBenchmark.class.getResourceAsStream("/upgrade/triggers-until-v11.sql").readAllBytes(), StandardCharsets.UTF_8);
        int from = all.indexOf("-- " + TABLE + " functions");
        int to = all.indexOf("\n-- vk.", from + 1);
        return all.substring(all.indexOf('\n', from) + 1, to < 0 ? all.length() : to);
    }

    /**
     * One design's figures: tps, bulk seconds, bulk WAL, change-table bytes, single updates' WAL and
     * change-table bytes; for a pumped design, the pump's seconds, WAL and outbox bytes for the bulk's keys.
     */
    private static double[] measure(Design d, Path script, int round, int value) throws Exception {
        settle(d);
        double tps = pgbench(script);
        settle(d);
        long walBefore = walLsn();
        double bulk = bulkUpdateSeconds(value);
        long bulkWal = walLsn() - walBefore;
        long changeBytes = d.changeTable().isEmpty() ? 0 : relationBytes(d.changeTable());
        double pumpSeconds = 0;
        long pumpWal = 0;
        long outboxBytes = 0;
        if (d.pumped()) {
            walBefore = walLsn();
            long started = System.nanoTime();
            pumpAll();
            pumpSeconds = (System.nanoTime() - started) / 1e9;
            pumpWal = walLsn() - walBefore;
            outboxBytes = relationBytes("sync.outbox");
        }
        // no checkpoint in between: the bulk update touched every page since the last one, so these
        // updates write no full-page images, and what differs between designs is capture's own
        walBefore = walLsn();
        long changeBefore = d.changeTable().isEmpty() ? 0 : relationBytes(d.changeTable());
        singleUpdates(round);
        long singleWal = walLsn() - walBefore;
        long singleChangeBytes = d.changeTable().isEmpty() ? 0 : relationBytes(d.changeTable()) - changeBefore;
        return new double[] {tps, bulk, bulkWal, changeBytes, singleWal, singleChangeBytes, pumpSeconds, pumpWal, outboxBytes};
    }

    private static void report(List<Design> designs, Map<String, List<double[]>> figures) {
        double[] none = medians(figures.get("none"));
        for (Design d : designs) {
            double[] m = medians(figures.get(d.name()));
            System.out.printf(Locale.ROOT, "BENCH capture design %-9s: single-row tps %.0f (with/without %.2f, target >= 0.85), bulk UPDATE of %,d rows "
                            + "%.2f s (without/with %.2f, target >= 0.6), per captured row on the staff's write path: bulk %,.0f B WAL + %,.0f B change table, "
                            + "single update %,.0f B WAL + %,.0f B change table%s%n",
                    d.name(), m[0], m[0] / none[0], ROWS, m[1], none[1] / m[1], (m[2] - none[2]) / ROWS, m[3] / ROWS,
                    (m[4] - none[4]) / SINGLE_UPDATES, m[5] / SINGLE_UPDATES,
                    d.pumped() ? String.format(Locale.ROOT, "; then the pump, off that path: %.2f s for the bulk's %,d keys (%,.0f rows/s), %,.0f B WAL + %,.0f B outbox per row",
                            m[6], ROWS, ROWS / m[6], m[7] / ROWS, m[8] / ROWS) : "");
        }
    }

    private static void pumpAll() throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("select sync.pump_captured_keys(?)")) {
            ps.setInt(1, PUMP_BATCH);
            long taken;
            do {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    taken = rs.getLong(1);
                }
            } while (taken > 0);
        }
    }

    private static void execute(String sql) throws Exception {
        if (sql.isBlank()) {
            return;
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Empties the change table and vacuums, so every measurement starts from the same table state. */
    private static void settle(Design d) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            if (d.pumped()) {
                pumpAll(); // the pump keeps sync.captured_row true to the table; emptying the keys would not
                s.execute("truncate sync.captured_key"); // empty now: starts at size 0 like the outbox
            }
            s.execute("truncate sync.outbox");
            s.execute("vacuum analyze " + TABLE);
            s.execute("checkpoint");
        }
    }

    private static long walLsn() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long relationBytes(String table) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_total_relation_size('" + table + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double bulkUpdateSeconds(int value) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            long started = System.nanoTime();
            s.execute("update " + TABLE + " set antal_pl = " + value);
            return (System.nanoTime() - started) / 1e9;
        }
    }

    /** One-column updates of single rows, each its own transaction, as staff make them. */
    private static void singleUpdates(int round) throws Exception {
        Random random = new Random(round);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("update " + TABLE + " set navn = ? where id = ?")) {
            c.setAutoCommit(true);
            for (int i = 0; i < SINGLE_UPDATES; i++) {
                ps.setString(1, "Bænk " + i + " runde " + round);
                ps.setLong(2, 1 + random.nextInt(ROWS));
                ps.executeUpdate();
            }
        }
    }

    private static double pgbench(Path script) throws Exception {
        DatabaseConfig config = db.config();
        URI uri = URI.create(config.jdbcUrl().substring("jdbc:".length()));
        ProcessBuilder pb = new ProcessBuilder("pgbench", "-n", "-c", "4", "-j", "2", "-T", Integer.toString(SECONDS),
                "-f", script.toString(), "-h", uri.getHost(), "-p", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()),
                "-U", config.user(), uri.getPath().substring(1)).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", config.password().reveal());
        pb.environment().put("PGOPTIONS", "-c synchronous_commit=off");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))); // CPU-bound: the disk's fsync swings swamp the difference
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + out);
        }
        Matcher m = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no tps in pgbench's output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double[] medians(List<double[]> rows) {
        double[] m = new double[rows.get(0).length];
        for (int i = 0; i < m.length; i++) {
            int col = i;
            List<Double> sorted = rows.stream().map(r -> r[col]).sorted().toList();
            int n = sorted.size();
            m[i] = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
        return m;
    }
}
