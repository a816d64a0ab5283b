package dk.geofasync.core.config;

import java.time.Duration;

/**
 * How to reach the VK database: JDBC URL, user and password, and the connection pool's size.
 * The password is a {@link Secret}, so printing this record never prints it.
 */
public record DatabaseConfig(String jdbcUrl, String user, Secret password, int maxPoolSize, Duration connectTimeout) {

    public DatabaseConfig {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), got: " + jdbcUrl);
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("database user is missing for " + jdbcUrl);
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("database pool size must be at least 1, got " + maxPoolSize);
        }
    }

    public static DatabaseConfig of(String jdbcUrl, String user, Secret password) {
        return new DatabaseConfig(jdbcUrl, user, password, 8, Duration.ofSeconds(10));
    }

    public DatabaseConfig withMaxPoolSize(int size) {
        return new DatabaseConfig(jdbcUrl, user, password, size, connectTimeout);
    }
}
