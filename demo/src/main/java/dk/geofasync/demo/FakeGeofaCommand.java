package dk.geofasync.demo;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.cli.DatabaseOptions;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.GeofaUser;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geofa-sync fake-geofa}: serves the sandbox's fake GeoFA until stopped. */
@Command(name = "fake-geofa", mixinStandardHelpOptions = true,
        description = {"Serve a fake GeoFA on this machine (v4 SQL API with tokens, v2 GeoJSON reads, v3 column descriptions),",
            "backed by PostGIS, for trying geofa-sync without the real GeoFA. Ctrl-C stops it.",
            "Without --db-url it keeps its data in database geofa_sandbox on the local PostGIS."})
public final class FakeGeofaCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8765", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 takes a free one)")
    int port;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "" + FakeGeofa.Settings.DEFAULT_RATE_LIMIT_PER_MINUTE,
            description = "requests an access token may make per minute before the fake answers 429, as GeoFA's GC2 limits them "
                    + "(default: ${DEFAULT-VALUE}; 0 turns the limit off)")
    int rateLimit;

    @Option(names = "--reset", description = "empty the fake GeoFA before serving")
    boolean reset;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        DatabaseConfig config = SandboxDatabase.of(database);
        FakeGeofa fake = FakeGeofa.start(config, FakeGeofa.Settings.defaults().withPort(port).withRateLimit(rateLimit));
        if (reset) {
            fake.reset();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fake.close();
            stopped.countDown();
        }, "fake-geofa-shutdown"));
        GeofaUser user = GeofaUser.vejle();
        PrintWriter out = spec.commandLine().getOut();
        out.println("fake GeoFA serving at " + fake.baseUrl() + " (data in " + config.jdbcUrl() + ")");
        out.println("  log in:  POST " + fake.baseUrl() + "/api/v4/oauth  {\"grant_type\":\"password\",\"username\":\""
                + user.name() + "\",\"password\":\"" + user.password().reveal() + "\",\"database\":\"fkg\"}");
        out.println("  write:   POST " + fake.baseUrl() + "/api/v4/sql   read: GET " + fake.baseUrl() + "/api/v2/sql/fkg?q=select…");
        out.println("  faults:  POST " + fake.baseUrl() + "/admin/faults {\"failNext\":{\"count\":1,\"status\":503}}   "
                + "objects: GET " + fake.baseUrl() + "/admin/objects?theme=t_5800_fac_pkt");
        out.println("  traffic: GET " + fake.baseUrl() + "/admin/traffic   (rate limit: "
                + (rateLimit > 0 ? rateLimit + " requests a minute per token" : "off") + ")");
        out.println("Ctrl-C stops it.");
        out.flush();
        stopped.await();
        return GeofaSync.OK;
    }
}
