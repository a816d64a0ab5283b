package dk.geofasync.capture;

import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.vk.SampleVk;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What capture costs the staff's writes, on a 100,000-row facility table, in rounds that alternate
 * without and with the triggers (medians):
 * <ul>
 *   <li>single-row UPDATEs of a synced column with pgbench, 4 clients (target: with/without >= 0.75);</li>
 *   <li>one bulk UPDATE of a synced column on all rows, as a DBA runs it (target: without/with time >= 0.5).</li>
 * </ul>
 * Run with {@code ./mvnw -B -ntp verify -Pbench -pl capture -am}; needs {@code pgbench} on the PATH.
 */
@Tag("bench")
class CaptureOverheadBenchmark {

    private static final int ROWS = 100_000;
    private static final int ROUNDS = 5;
    private static final int SECONDS = 8;

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    @Test
    void captureOverhead() throws Exception {
        Mapping all = SampleVk.vejleMapping();
        Mapping points = new Mapping(all.source(), List.of(all.table("vk.facilitet_punkt").orElseThrow()));
        new SampleVk(db.dataSource(), points).reset(ROWS, 630);
        SyncSchema.migrate(db.dataSource());
        CaptureInstaller installer = new CaptureInstaller(db.dataSource());
        Path script = Files.createTempFile("capture-bench", ".sql");
        Files.writeString(script, """
                \\set id random(1, %d)
                update vk.facilitet_punkt set navn = 'Bænk ' || :id || ' ' || random() where id = :id;
                """.formatted(ROWS));

        List<Double> tpsWithout = new ArrayList<>();
        List<Double> tpsWith = new ArrayList<>();
        List<Double> bulkWithout = new ArrayList<>();
        List<Double> bulkWith = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            installer.uninstall();
            settle();
            tpsWithout.add(pgbench(script));
            bulkWithout.add(bulkUpdateSeconds(round * 2));
            installer.install(points);
            settle();
            tpsWith.add(pgbench(script));
            bulkWith.add(bulkUpdateSeconds(round * 2 + 1));
            System.out.printf(Locale.ROOT, "BENCH capture round %d: single-row tps without %.0f, with %.0f; bulk update without %.2f s, with %.2f s%n",
                    round, tpsWithout.get(round - 1), tpsWith.get(round - 1), bulkWithout.get(round - 1), bulkWith.get(round - 1));
        }
        double single = median(tpsWith) / median(tpsWithout);
        double bulk = median(bulkWithout) / median(bulkWith);
        System.out.printf(Locale.ROOT, "BENCH capture single-row UPDATE (pgbench, 4 clients, %d s x %d rounds): median tps without %.0f, "
                + "with %.0f, ratio %.2f (target >= 0.75)%n", SECONDS, ROUNDS, median(tpsWithout), median(tpsWith), single);
        System.out.printf(Locale.ROOT, "BENCH capture bulk UPDATE of %,d rows: median without %.2f s, with %.2f s, ratio %.2f (target >= 0.5)%n",
                ROWS, median(bulkWithout), median(bulkWith), bulk);
    }

    /** Empties the outbox and vacuums, so every round starts from the same table state. */
    private static void settle() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("truncate sync.outbox");
            s.execute("vacuum analyze vk.facilitet_punkt");
            s.execute("vacuum analyze sync.outbox");
            s.execute("checkpoint");
        }
    }

    private static double bulkUpdateSeconds(int value) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            long started = System.nanoTime();
            s.execute("update vk.facilitet_punkt set antal_pl = " + value);
            return (System.nanoTime() - started) / 1e9;
        }
    }

    private static double pgbench(Path script) throws IOException, InterruptedException {
        DatabaseConfig config = db.config();
        URI uri = URI.create(config.jdbcUrl().substring("jdbc:".length()));
        ProcessBuilder pb = new ProcessBuilder("pgbench", "-n", "-c", "4", "-j", "2", "-T", Integer.toString(SECONDS),
                "-f", script.toString(), "-h", uri.getHost(), "-p", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()),
                "-U", config.user(), uri.getPath().substring(1)).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", config.password().reveal());
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

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
