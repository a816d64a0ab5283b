package dk.geofasync.sandbox.geofa;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.fkg.FkgCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for GeoFA over real HTTP, backed by PostGIS: the v4 SQL API with OAuth tokens, the v2
 * GeoJSON reads and v3 column descriptions, with GeoFA's data model and its errors (see
 * shared/geofa-api.md), plus injectable faults. Start it on a database of its own:
 * {@code FakeGeofa.start(config, FakeGeofa.Settings.defaults())}.
 */
public final class FakeGeofa implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeGeofa.class);

    static {
        // the JDK server writes headers and body apart; without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK hold every answer back by about 40 ms
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * How the fake runs.
     *
     * @param port the HTTP port; 0 takes a free one
     * @param users who may log in, each with their geofence
     * @param tokenLifetime how long an access token lasts (GeoFA: one hour)
     * @param clock the clock tokens expire by
     * @param faultSeed the seed of the random behind fault shares
     */
    public record Settings(int port, List<GeofaUser> users, Duration tokenLifetime, Clock clock, long faultSeed) {
        public Settings {
            users = List.copyOf(users);
        }

        public static Settings defaults() {
            return new Settings(0, List.of(GeofaUser.vejle()), Duration.ofHours(1), Clock.systemUTC(), 630);
        }

        public Settings withPort(int newPort) {
            return new Settings(newPort, users, tokenLifetime, clock, faultSeed);
        }

    }

    private final HikariDataSource dataSource;
    private final FakeGeofaDatabase database;
    private final Faults faults;
    private final HttpServer server;
    private final ExecutorService executor;

    private FakeGeofa(HikariDataSource dataSource, Settings settings) throws IOException {
        this.dataSource = dataSource;
        this.database = new FakeGeofaDatabase(dataSource, FkgCatalogue.standard(), settings.users());
        Tokens tokens = new Tokens(settings.clock(), settings.tokenLifetime());
        this.faults = new Faults(settings.faultSeed(), tokens::expireAll);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", settings.port()), 64);
        FaultFilter faultFilter = new FaultFilter(faults);
        api("/api/v4/oauth", new OAuthEndpoint(settings.users(), tokens), faultFilter);
        api("/api/v4/sql", new SqlEndpoint(dataSource, tokens, faults), faultFilter);
        api("/api/v2/sql/fkg", new GeoJsonReadEndpoint(dataSource), faultFilter);
        api("/api/v3/meta/", new MetaEndpoint(new RelationDescriptions(dataSource, FkgCatalogue.standard()), tokens), faultFilter);
        server.createContext("/admin/", new AdminEndpoint(this));
        // hung requests hold a thread each; a cached pool keeps the others answering
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-geofa-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
    }

    /**
     * Starts serving from the database: builds the FKG model there if it has none, else serves what
     * it holds (e.g. what {@code sandbox reset} seeded). {@link #reset()} empties it.
     */
    public static FakeGeofa start(DatabaseConfig database, Settings settings) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("fake-geofa");
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername(database.user());
        pool.setPassword(database.password().reveal());
        pool.setMaximumPoolSize(8);
        pool.setMinimumIdle(1);
        // GeoFA's durability is not under test: without a WAL flush per request, the fake's commits cost
        // little on the sync's own machine (the real GeoFA's work happens on its servers, not here)
        pool.setConnectionInitSql("set synchronous_commit = off");
        HikariDataSource dataSource = new HikariDataSource(pool);
        try {
            FakeGeofa fake = new FakeGeofa(dataSource, settings);
            fake.database.ensure();
            fake.server.start();
            LOG.info("fake GeoFA serving at {} (users: {})", fake.baseUrl(),
                    settings.users().stream().map(GeofaUser::name).collect(Collectors.joining(", ")));
            return fake;
        } catch (IOException e) {
            dataSource.close();
            throw new UncheckedIOException("cannot start the fake GeoFA on port " + settings.port(), e);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private void api(String path, com.sun.net.httpserver.HttpHandler handler, FaultFilter faultFilter) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().add(faultFilter);
    }

    /** Where the API answers, e.g. {@code http://127.0.0.1:43817}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public Faults faults() {
        return faults;
    }

    /** The fake's database side, e.g. to seed objects that are already in GeoFA. */
    public FakeGeofaDatabase database() {
        return database;
    }

    /** Back to an empty GeoFA: every object and version is gone; faults are cleared. */
    public void reset() {
        faults.clear();
        database.reset();
    }

    /** Every version of every object of a theme (closed ones too), oldest first per object. */
    public List<GeofaVersion> versions(String theme) {
        return database.versions(theme);
    }

    /** The current version of every object of a theme that is not deleted. */
    public List<GeofaVersion> current(String theme) {
        return database.current(theme);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dataSource.close();
    }
}
