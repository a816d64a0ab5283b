package dk.geofasync.sandbox.postgres;

import dk.geofasync.core.config.DatabaseConfig;
import dk.geofasync.core.config.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A PostgreSQL server with PostGIS on which tests and the demo create scratch databases. Found, in
 * this order: an explicit URL ({@code GEOFA_SYNC_TEST_PG_URL} or {@code -Dgeofa.test.pg.url}), a
 * Testcontainers PostGIS where Docker runs, else the local server on localhost:5432.
 *
 * @param adminUrl JDBC URL of a database on the server from which databases can be created
 * @param user a role that may CREATE DATABASE and CREATE EXTENSION postgis
 * @param origin how the server was found, for messages
 */
public record PostgisServer(String adminUrl, String user, Secret password, String origin) {

    public static final String URL_VARIABLE = "GEOFA_SYNC_TEST_PG_URL";
    public static final String USER_VARIABLE = "GEOFA_SYNC_TEST_PG_USER";
    public static final String PASSWORD_VARIABLE = "GEOFA_SYNC_TEST_PG_PASSWORD";
    /** The role {@code scripts/postgis-up.sh} creates; used when no other is configured. */
    public static final String DEFAULT_USER = "geofa_sync";
    public static final String LOCAL_URL = "jdbc:postgresql://localhost:5432/postgres";

    private static final Logger LOG = LoggerFactory.getLogger(PostgisServer.class);
    private static final String POSTGIS_IMAGE = "postgis/postgis:15-3.4";

    /** The server of this JVM, located once. */
    public static PostgisServer shared() {
        return Shared.SERVER;
    }

    private static final class Shared {
        static final PostgisServer SERVER = locate();
    }

    static PostgisServer locate() {
        String user = setting("geofa.test.pg.user", USER_VARIABLE).orElse(DEFAULT_USER);
        Secret password = Secret.of(setting("geofa.test.pg.password", PASSWORD_VARIABLE).orElse(DEFAULT_USER));
        Optional<String> url = setting("geofa.test.pg.url", URL_VARIABLE);
        PostgisServer server;
        if (url.isPresent()) {
            server = new PostgisServer(url.get(), user, password, URL_VARIABLE);
        } else if (dockerAvailable()) {
            server = startContainer();
        } else {
            server = new PostgisServer(LOCAL_URL, user, password, "the local server");
        }
        server.check();
        LOG.info("PostGIS server: {} ({})", server.adminUrl, server.origin);
        return server;
    }

    /** Creates an empty database with PostGIS; {@code purpose} becomes part of its name. */
    public ScratchDatabase createDatabase(String purpose) {
        String name = "gs_" + purpose.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_|_$", "");
        name = name.substring(0, Math.min(name.length(), 40)) + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + adminUrl + ": " + e.getMessage(), e);
        }
        ScratchDatabase db = new ScratchDatabase(this, name);
        db.execute("create extension if not exists postgis");
        return db;
    }

    /**
     * A database that stays: created with PostGIS when absent, else used as it is (e.g. the sandbox
     * database {@code geofa_sandbox} that the demo and {@code sandbox reset} use).
     */
    public DatabaseConfig ensureDatabase(String name) {
        if (!dk.geofasync.core.mapping.SqlIdentifier.isValid(name)) {
            throw new IllegalArgumentException("not a valid database name: " + name);
        }
        try (Connection c = admin(); Statement s = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = s.executeQuery("select count(*) from pg_database where datname = '" + name + "'")) {
                rs.next();
                exists = rs.getInt(1) > 0;
            }
            if (!exists) {
                s.execute("create database " + dk.geofasync.core.mapping.SqlIdentifier.quote(name));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + adminUrl + ": " + e.getMessage(), e);
        }
        DatabaseConfig config = DatabaseConfig.of(urlOf(name), user, password);
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), user, password.reveal()); Statement s = c.createStatement()) {
            s.execute("create extension if not exists postgis");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot add PostGIS to database " + name + ": " + e.getMessage(), e);
        }
        return config;
    }

    Connection admin() throws SQLException {
        return DriverManager.getConnection(adminUrl, user, password.reveal());
    }

    /** The JDBC URL of database {@code name} on this server. */
    String urlOf(String name) {
        int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
    }

    void check() {
        try (Connection c = admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_available_extensions where name = 'postgis'")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                throw new IllegalStateException("PostgreSQL at " + adminUrl + " (" + origin + ") has no PostGIS. Install it: "
                        + "apt-get install postgresql-15-postgis-3 (or run bash scripts/postgis-up.sh as root).");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("No PostgreSQL with PostGIS is reachable for the tests: " + origin + " at " + adminUrl
                    + " as " + user + " answered: " + e.getMessage() + "\n"
                    + "Start one with:  sudo bash scripts/postgis-up.sh   (Debian/Ubuntu: installs PostgreSQL 15 + PostGIS, "
                    + "creates role " + DEFAULT_USER + ")\n"
                    + "or point the tests at a server where the role may CREATE DATABASE and CREATE EXTENSION postgis:\n"
                    + "  export " + URL_VARIABLE + "=jdbc:postgresql://host:5432/postgres " + USER_VARIABLE + "=… "
                    + PASSWORD_VARIABLE + "=…", e);
        }
    }

    /**
     * Whether Docker runs here. Asks Testcontainers only where a Docker endpoint is configured or its
     * socket exists: without one Testcontainers logs its search at ERROR level, which misleads.
     */
    static boolean dockerAvailable() {
        boolean endpoint = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!endpoint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives as long as the JVM; Testcontainers' reaper removes it
    private static PostgisServer startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer(
                DockerImageName.parse(POSTGIS_IMAGE).asCompatibleSubstituteFor("postgres"));
        container.start();
        return new PostgisServer(container.getJdbcUrl(), container.getUsername(), Secret.of(container.getPassword()),
                "Testcontainers " + POSTGIS_IMAGE);
    }

    private static Optional<String> setting(String property, String variable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
