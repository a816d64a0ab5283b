package dk.geofasync.sandbox.geofa;

import com.sun.net.httpserver.Filter;
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
 * shared/geofa-api.md), GC2's rate limit per access token, plus injectable faults. Start it on a
 * database of its own:
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
     * @param clock the clock tokens expire by and the rate limit's minutes are counted in
     * @param faultSeed the seed of the random behind fault shares
     * @param rateLimitPerMinute requests an access token may make to /api/v4/ per calendar minute
     *     before GeoFA answers 429 (GC2's default: 120); 0 or less turns the limit off
     */
    public record Settings(int port, List<GeofaUser> users, Duration tokenLifetime, Clock clock, long faultSeed, int rateLimitPerMinute) {

        /** GC2's {@code apiV4.rateLimitPerMinute} when its configuration names none. */
        public static final int DEFAULT_RATE_LIMIT_PER_MINUTE = 120;

        public Settings {
            users = List.copyOf(users);
        }

        /** Settings with GC2's default rate limit. */
        public Settings(int port, List<GeofaUser> users, Duration tokenLifetime, Clock clock, long faultSeed) {
            this(port, users, tokenLifetime, clock, faultSeed, DEFAULT_RATE_LIMIT_PER_MINUTE);
        }

        public static Settings defaults() {
            return new Settings(0, List.of(GeofaUser.vejle()), Duration.ofHours(1), Clock.systemUTC(), 630);
        }

        public Settings withPort(int newPort) {
            return new Settings(newPort, users, tokenLifetime, clock, faultSeed, rateLimitPerMinute);
        }

        /** @param newClock the clock of GeoFA's minute windows and token expiry (a test may run it fast) */
        public Settings withClock(Clock newClock) {
            return new Settings(port, users, tokenLifetime, newClock, faultSeed, rateLimitPerMinute);
        }

        /** The same with another rate limit per token and minute; 0 turns it off. */
        public Settings withRateLimit(int perMinute) {
            return new Settings(port, users, tokenLifetime, clock, faultSeed, perMinute);
        }

    }

    private final HikariDataSource dataSource;
    private final FakeGeofaDatabase database;
    private final Faults faults;
    private final RateLimit rateLimit;
    private final SqlEndpoint sql;
    private final HttpServer server;
    private final ExecutorService executor;

    private FakeGeofa(HikariDataSource dataSource, Settings settings) throws IOException {
        this.dataSource = dataSource;
        this.database = new FakeGeofaDatabase(dataSource, FkgCatalogue.standard(), settings.users());
        Tokens tokens = new Tokens(settings.clock(), settings.tokenLifetime());
        this.faults = new Faults(settings.faultSeed(), tokens::expireAll);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", settings.port()), 64);
        this.rateLimit = new RateLimit(settings.clock(), settings.rateLimitPerMinute());
        this.sql = new SqlEndpoint(dataSource, tokens, faults);
        FaultFilter faultFilter = new FaultFilter(faults);
        // after the faults: what they stand for (a slow network, a gateway that times out or throttles)
        // happens before a request reaches GC2, whose index.php limits every v4 request before routing
        api("/api/v4/oauth", new OAuthEndpoint(settings.users(), tokens), faultFilter, rateLimit);
        api("/api/v4/sql", sql, faultFilter, rateLimit);
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

    private void api(String path, com.sun.net.httpserver.HttpHandler handler, Filter... filters) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().addAll(List.of(filters));
    }

    /** Where the API answers, e.g. {@code http://127.0.0.1:43817}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public Faults faults() {
        return faults;
    }

    /**
     * Sets how many requests an access token may make to /api/v4/ per calendar minute, from the next
     * request on; 0 or less turns the limit off. Counts made so far stay.
     */
    public void rateLimit(int perMinute) {
        rateLimit.perMinute(perMinute);
    }

    /** Requests an access token may make per minute now; 0 or less when the limit is off. */
    public int rateLimit() {
        return rateLimit.perMinute();
    }

    /** What the rate limit has counted (counted with the limit off too). */
    public Traffic traffic() {
        return rateLimit.traffic();
    }

    /** Starts the counts of {@link #traffic()} and {@link #busy()} afresh; each token's budget for this minute stays as it is. */
    public void resetTraffic() {
        rateLimit.resetTraffic();
        sql.resetBusy();
    }

    /**
     * How long the fake spent running the clients' SQL (its database's work: triggers, constraints,
     * indexes) since it started or since {@link #resetTraffic()}: GeoFA's share of a benchmark's time.
     */
    public java.time.Duration busy() {
        return sql.busy();
    }

    /** The fake's database side, e.g. to seed objects that are already in GeoFA. */
    public FakeGeofaDatabase database() {
        return database;
    }

    /** Back to an empty GeoFA: every object and version is gone; faults are cleared. */
    public void reset() {
        faults.clear();
        sql.selectTimeout(SqlEndpoint.GC2_SELECT_TIMEOUT);
        database.reset();
    }

    /**
     * Sets the statement timeout GeoFA's SQL API gives a request from its first select on (GC2's
     * {@code SqlApiSettings.statement_timeout}, 60 s unless its operator set another); until the next
     * {@link #reset()}.
     */
    public void selectTimeout(Duration timeout) {
        sql.selectTimeout(timeout);
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
