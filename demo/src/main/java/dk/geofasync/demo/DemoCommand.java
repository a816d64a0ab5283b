package dk.geofasync.demo;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.cli.DatabaseOptions;
import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.app.service.SyncService;
import dk.geofasync.applier.apply.Applied;
import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.capture.backfill.Backfill;
import dk.geofasync.capture.install.CaptureInstaller;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.DataSources;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.GeofaUser;
import dk.geofasync.sandbox.kafka.KafkaBroker;
import dk.geofasync.sandbox.vk.SampleLoad;
import dk.geofasync.sandbox.vk.SampleVk;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jooq.DSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geofa-sync demo}: the whole pipeline on the sandbox, narrated: sample VK data, a fake
 * GeoFA, an in-process Kafka broker; migrate, install the triggers, backfill, sync; then live edits
 * in VK arriving in GeoFA, one invalid object in dead letters, and a report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on the sandbox: sample VK data, a fake GeoFA and a Kafka broker in this process.",
            "Without --db-url it uses database geofa_sandbox on the local PostGIS (scripts/postgis-up.sh provides one)."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--objects", defaultValue = "300", description = "sample objects per table (default: ${DEFAULT-VALUE})")
    int objects;

    @Option(names = "--serve", description = "afterwards keep the service (geofa-sync run) going on the sandbox, with its status page, "
            + "until Ctrl-C: edit VK and watch")
    boolean serve;

    @Option(names = "--http-port", defaultValue = "8080", description = "the status page's port with --serve (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--geofa-db", paramLabel = "JDBC_URL",
            description = "run the fake GeoFA in this database (same user and password) instead of the sandbox's; when it holds an "
                    + "FKG model the fake did not build (an install of OpenFKG/fkg-postgresql), the fake keeps that model and only "
                    + "empties its objects: the demo then runs against the real model. The database must be a marked sandbox "
                    + "(table public.geofa_sync_sandbox), so no real GeoFA data is ever emptied")
    String geofaDb;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (GeofaSyncDemo.DEMO_LOGGING.equals(System.getProperty("logback.configurationFile"))) {
            // where logback-demo.xml puts it: ${GEOFA_SYNC_LOG_DIR:-logs}, a system property before the environment
            java.nio.file.Path log = java.nio.file.Path.of(Optional.ofNullable(System.getProperty("GEOFA_SYNC_LOG_DIR"))
                    .or(() -> Optional.ofNullable(System.getenv("GEOFA_SYNC_LOG_DIR"))).filter(d -> !d.isBlank()).orElse("logs"), "geofa-sync.log");
            out.println("The demo's log (Kafka, Flyway and geofa-sync at work): " + log.toAbsolutePath().normalize());
            out.println();
        }
        Mapping mapping = SampleVk.vejleMapping();
        step("PostgreSQL with PostGIS");
        DatabaseConfig config = SandboxDatabase.of(database);
        done(config.jdbcUrl());
        step("Kafka broker (in this process)");
        try (KafkaBroker kafka = KafkaBroker.start();
             HikariDataSource vk = DataSources.pooled(config.withMaxPoolSize(10), "demo")) {
            done(kafka.bootstrapServers());
            step("fake GeoFA");
            DatabaseConfig geofaConfig = geofaDb == null ? config : DatabaseConfig.of(geofaDb, config.user(), config.password());
            try (FakeGeofa fake = FakeGeofa.start(geofaConfig, FakeGeofa.Settings.defaults())) {
                done(fake.baseUrl().toString());
                step("sandbox reset: sample VK data and GeoFA at a known state");
                SampleLoad load = Sandbox.reset(vk, fake.database(), mapping, objects, Sandbox.DEFAULT_SEED);
                done(String.format("%,d VK objects, %,d of them already in GeoFA", load.rows(),
                        load.alreadyInGeofa().values().stream().mapToInt(java.util.List::size).sum()));
                step("geofa-sync migrate");
                done("sync schema " + SyncSchema.migrate(vk));
                step("geofa-sync install-triggers");
                done("capture on " + String.join(", ", new CaptureInstaller(vk).install(mapping).installed()));
                step("geofa-sync backfill (objects not yet in GeoFA)");
                long queued = new Backfill(vk, 5_000).run(mapping, Optional.empty(), false).values().stream().mapToLong(Long::longValue).sum();
                done(String.format("%,d changes in the outbox", queued));

                GeofaUser user = GeofaUser.vejle();
                GeofaSettings geofa = GeofaSettings.of(fake.baseUrl(), user.name(), user.password());
                try (LocalPipeline pipeline = new LocalPipeline(LocalPipeline.Settings.defaults(vk, mapping, kafka.bootstrapServers(), geofa))) {
                    step("sync: outbox -> Kafka -> GeoFA -> objekt_id back to VK");
                    long started = System.nanoTime();
                    Map<Applied, Integer> first = pipeline.syncUntilIdle();
                    done(String.format("%s in %.1f s", first, (System.nanoTime() - started) / 1e9));

                    out.println();
                    out.println("Live edits in VK, as staff make them:");
                    edit(vk, pipeline, "insert a new shelter",
                            "insert into vk.facilitet_punkt (facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, geom) "
                                    + "values (3012, 9, 'Shelter ved Vejle Fjord', 3, 1, 7, 'SRID=25832;POINT(552500 6174200)')");
                    edit(vk, pipeline, "rename facility 1", "update vk.facilitet_punkt set navn = 'Toiletbygning ved Munkebjerg' where id = 1");
                    edit(vk, pipeline, "change only VK's own note on facility 2 (nothing for GeoFA)",
                            "update vk.facilitet_punkt set intern_bemaerkning = 'tjekket' where id = 2");
                    edit(vk, pipeline, "delete route 3", "delete from vk.rute_linje where id = 3");
                    edit(vk, pipeline, "insert an object with off_kode 99 (not in GeoFA's code list)",
                            "insert into vk.facilitet_punkt (facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, geom) "
                                    + "values (1012, 9, 'Forkert offentlighed', 3, 99, 7, 'SRID=25832;POINT(552600 6174300)')");
                    edit(vk, pipeline, "fix that object in VK: off_kode 1 (supersedes its dead letter)",
                            "update vk.facilitet_punkt set off_kode = 1 where navn = 'Forkert offentlighed'");
                    report(vk, fake, config, mapping);
                }
                if (serve) {
                    serve(LocalPipeline.Settings.defaults(vk, mapping, kafka.bootstrapServers(), geofa), config);
                }
            }
        }
        return GeofaSync.OK;
    }

    private void serve(LocalPipeline.Settings pipeline, DatabaseConfig config) throws Exception {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        try (SyncService service = new SyncService(SyncService.Settings.of(pipeline, new java.net.InetSocketAddress(httpPort)))) {
            out.println();
            out.printf("The service runs on the sandbox: status page http://localhost:%d/ (metrics /metrics, health /health/ready).%n", service.httpPort());
            out.println("Edit VK (" + config.jdbcUrl() + ", schema vk) and watch the changes arrive. Ctrl-C stops.");
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close(); // closes its run in sync.run before the JVM ends
                stopped.countDown();
            }, "geofa-sync-demo-stop"));
            stopped.await();
        }
    }

    private void edit(HikariDataSource vk, LocalPipeline pipeline, String what, String sql) throws SQLException {
        try (Connection c = vk.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        long started = System.nanoTime();
        Map<Applied, Integer> done = pipeline.syncUntilIdle();
        out.printf("  %-62s -> %s (synced and checked idle in %d ms)%n", what, done.isEmpty() ? "nothing for GeoFA" : done.toString(),
                (System.nanoTime() - started) / 1_000_000);
        out.flush();
    }

    private void report(HikariDataSource vk, FakeGeofa fake, DatabaseConfig config, Mapping mapping) throws SQLException {
        DSLContext dsl = SyncSchema.dsl(vk);
        out.println();
        out.println("Report:");
        for (dk.geofasync.core.mapping.TableMapping t : mapping.tables()) {
            String table = t.table().quoted();
            long rows = dsl.fetchSingle("select count(*) from " + table).get(0, Long.class);
            long linked = dsl.fetchSingle("select count(" + dk.geofasync.core.mapping.SqlIdentifier.quote(t.objektIdColumn()) + ") from "
                    + table).get(0, Long.class);
            out.printf("  %-20s %,5d rows, %,5d with objekt_id   GeoFA %-22s %,5d current objects%n", t.table(), rows, linked,
                    t.theme().name(), fake.current(t.theme().name()).size());
        }
        try (Connection c = vk.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id, status, source_table, row_key, coalesce(column_name, '-'), reason from sync.dead_letter "
                     + "order by id")) {
            while (rs.next()) {
                out.printf("  dead letter #%d (%s): %s %s, column %s: %s%n", rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6));
            }
        }
        out.println("  (geofa-sync dead-letters list|show|retry|discard handles letters; the sandbox stays in " + config.jdbcUrl() + ")");
    }

    private void step(String what) {
        out.printf("%-60s ", what + " ...");
        out.flush();
    }

    private void done(String result) {
        out.println(result);
        out.flush();
    }
}
