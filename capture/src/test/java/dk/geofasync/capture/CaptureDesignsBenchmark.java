package dk.geofasync.capture;

import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.SqlIdentifier;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Candidate capture designs for the write-cost issue, side by side with today's triggers and with
 * no triggers, on the 100,000-row facility table, in rounds that alternate the designs (medians):
 * <ul>
 *   <li>single-row UPDATEs of a synced column with pgbench, 4 clients, {@code synchronous_commit=off}
 *       so the figure is CPU-bound, not the disk's fsync (target: with/without >= 0.85);</li>
 *   <li>one bulk UPDATE of a synced column on all rows (target: without/with time >= 0.6);</li>
 *   <li>bytes written per captured update of one column: WAL ({@code pg_current_wal_lsn()}
 *       differences, less what the same updates write without capture) and the change table's own.</li>
 * </ul>
 * The candidates are prototypes in this benchmark only (statement-level triggers with transition
 * tables, as today): {@code keys} writes (op, key) per row; {@code typed-new} the new row's synced
 * columns in their own types (the old values would come from a mirror of what was published, at
 * the relay); {@code typed-old-new} both images. All three add the deletes of keys an UPDATE
 * changed (an anti-join of old and new keys). Run with
 * {@code ./mvnw -B -ntp verify -Pbench -pl capture -am -Dtest=CaptureDesignsBenchmark}; needs pgbench.
 */
@Tag("bench")
class CaptureDesignsBenchmark {

    private static final int ROWS = 100_000;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int SECONDS = 8;
    private static final int SINGLE_UPDATES = 2_000;
    private static final String TABLE = "vk.facilitet_punkt";

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    /** A capture design: how to put it in place, and the table its rows go to (for their size). */
    private record Design(String name, String install, String uninstall, String changeTable) {
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
        List<Design> designs = designs(table);
        Path script = Files.createTempFile("capture-designs", ".sql");
        Files.writeString(script, """
                \\set id random(1, %d)
                update vk.facilitet_punkt set navn = 'Bænk ' || :id || ' ' || random() where id = :id;
                """.formatted(ROWS));

        Map<String, List<double[]>> figures = new LinkedHashMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            int value = round * 100;
            for (Design d : designs) {
                boolean today = d.name().equals("today");
                if (today) {
                    installer.install(points);
                } else {
                    execute(d.install());
                }
                double[] measured;
                try {
                    measured = measure(d, script, round, ++value); // a new value each time: every row really changes
                } finally {
                    // never leave a design's triggers behind on the table the other designs use
                    if (today) {
                        installer.uninstall();
                    } else {
                        execute(d.uninstall());
                    }
                }
                figures.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(measured);
                System.out.printf(Locale.ROOT, "BENCH capture design %-13s round %d: single-row tps %.0f, bulk update %.2f s, bulk WAL %,.0f B, "
                        + "change table %,.0f B, %d single updates WAL %,.0f B%n", d.name(), round, measured[0], measured[1], measured[2], measured[3],
                        SINGLE_UPDATES, measured[4]);
            }
        }
        report(designs, figures);
    }

    /** One design's figures: tps, bulk seconds, bulk WAL, change-table bytes, single updates' WAL and change-table bytes. */
    private static double[] measure(Design d, Path script, int round, int value) throws Exception {
        settle(d);
        double tps = pgbench(script);
        settle(d);
        long walBefore = walLsn();
        double bulk = bulkUpdateSeconds(value);
        long bulkWal = walLsn() - walBefore;
        long changeBytes = d.changeTable().isEmpty() ? 0 : relationBytes(d.changeTable());
        // no checkpoint in between: the bulk update touched every page since the last one, so these
        // updates write no full-page images, and what differs between designs is capture's own
        walBefore = walLsn();
        singleUpdates(round);
        long singleWal = walLsn() - walBefore;
        long singleChangeBytes = d.changeTable().isEmpty() ? 0 : relationBytes(d.changeTable()) - changeBytes;
        return new double[] {tps, bulk, bulkWal, changeBytes, singleWal, singleChangeBytes};
    }

    private static void report(List<Design> designs, Map<String, List<double[]>> figures) {
        double[] none = medians(figures.get("none"));
        for (Design d : designs) {
            double[] m = medians(figures.get(d.name()));
            System.out.printf(Locale.ROOT, "BENCH capture design %-13s: single-row tps %.0f (with/without %.2f, target >= 0.85), bulk UPDATE of %,d rows "
                            + "%.2f s (without/with %.2f, target >= 0.6), per captured row: bulk %,.0f B WAL + %,.0f B change table, "
                            + "single update %,.0f B WAL + %,.0f B change table%n",
                    d.name(), m[0], m[0] / none[0], ROWS, m[1], none[1] / m[1], (m[2] - none[2]) / ROWS, m[3] / ROWS,
                    (m[4] - none[4]) / SINGLE_UPDATES, m[5] / SINGLE_UPDATES);
        }
    }

    /** No capture, today's triggers, and the prototypes. */
    private static List<Design> designs(TableMapping table) {
        String key = SqlIdentifier.quote(table.keyColumn());
        String oid = SqlIdentifier.quote(table.objektIdColumn());
        String synced = table.syncedVkColumns().stream().filter(c -> !c.equals(table.keyColumn())).map(SqlIdentifier::quote)
                .collect(Collectors.joining(", "));
        String prefixed = table.syncedVkColumns().stream().filter(c -> !c.equals(table.keyColumn())).map(c -> "r." + SqlIdentifier.quote(c))
                .collect(Collectors.joining(", "));
        String keyChanged = "select '%s'::\"char\", o." + key + " from old_rows o where not exists (select 1 from new_rows n where n." + key + " = o." + key + ")";
        List<Design> designs = new ArrayList<>();
        designs.add(new Design("none", "", "", ""));
        designs.add(new Design("today", "", "", "sync.outbox"));
        designs.add(prototype("keys", """
                create table sync.bench_change (id bigint generated always as identity, op "char" not null, k bigint not null);
                """, """
                insert into sync.bench_change (op, k) select 'I', r.%1$s from new_rows r;
                """.formatted(table.keyColumn()), """
                insert into sync.bench_change (op, k) select 'U', r.%1$s from new_rows r;
                insert into sync.bench_change (op, k) %2$s;
                """.formatted(key, keyChanged.formatted("D")), """
                insert into sync.bench_change (op, k) select 'D', r.%1$s from old_rows r;
                """.formatted(key)));
        String typedTable = "create table sync.bench_change as select 'U'::\"char\" as op, " + key + " as k, " + oid + ", " + synced
                + " from " + TABLE + " with no data;\nalter table sync.bench_change add column id bigint generated always as identity;\n";
        String columns = "op, k, " + oid + ", " + synced;
        designs.add(prototype("typed-new", typedTable, """
                insert into sync.bench_change (%1$s) select 'I', r.%2$s, r.%3$s, %4$s from new_rows r;
                """.formatted(columns, key, oid, prefixed), """
                insert into sync.bench_change (%1$s) select 'U', r.%2$s, r.%3$s, %4$s from new_rows r;
                insert into sync.bench_change (op, k) %5$s;
                """.formatted(columns, key, oid, prefixed, keyChanged.formatted("D")), """
                insert into sync.bench_change (op, k) select 'D', r.%1$s from old_rows r;
                """.formatted(key)));
        designs.add(prototype("typed-old-new", typedTable, """
                insert into sync.bench_change (%1$s) select 'I', r.%2$s, r.%3$s, %4$s from new_rows r;
                """.formatted(columns, key, oid, prefixed), """
                insert into sync.bench_change (%1$s) select 'O', r.%2$s, r.%3$s, %4$s from old_rows r;
                insert into sync.bench_change (%1$s) select 'U', r.%2$s, r.%3$s, %4$s from new_rows r;
                """.formatted(columns, key, oid, prefixed), """
                insert into sync.bench_change (%1$s) select 'D', r.%2$s, r.%3$s, %4$s from old_rows r;
                """.formatted(columns, key, oid, prefixed)));
        return designs;
    }

    private static Design prototype(String name, String changeTable, String onInsert, String onUpdate, String onDelete) {
        StringBuilder install = new StringBuilder(changeTable);
        for (String[] op : new String[][] {{"i", "insert", onInsert, "new table as new_rows"}, {"u", "update", onUpdate, "old table as old_rows new table as new_rows"},
                {"d", "delete", onDelete, "old table as old_rows"}}) {
            install.append("""
                    create function sync.bench_%1$s() returns trigger language plpgsql security definer set search_path = pg_catalog as $f$
                    begin
                        if current_setting('geofa_sync.origin', true) = 'write-back' then
                            return null;
                        end if;
                    %3$s    return null;
                    end $f$;
                    create trigger bench_%1$s after %2$s on %5$s referencing %4$s for each statement execute function sync.bench_%1$s();
                    """.formatted(op[0], op[1], op[2].indent(4), op[3], TABLE));
        }
        String uninstall = "drop trigger bench_i on " + TABLE + "; drop trigger bench_u on " + TABLE + "; drop trigger bench_d on " + TABLE
                + "; drop function sync.bench_i(); drop function sync.bench_u(); drop function sync.bench_d(); drop table sync.bench_change;";
        return new Design(name, install.toString(), uninstall, "sync.bench_change");
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
            if (!d.changeTable().isEmpty()) {
                s.execute("truncate " + d.changeTable());
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
