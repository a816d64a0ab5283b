package dk.geofasync.db;

import dk.geofasync.core.config.DatabaseConfig;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Opens pooled connections to the VK database. */
public final class DataSources {

    private DataSources() {
    }

    /**
     * A connection pool named {@code poolName} (it shows in PostgreSQL's pg_stat_activity as the
     * application name, so a DBA sees which geofa-sync stage holds a connection).
     */
    public static HikariDataSource pooled(DatabaseConfig config, String poolName) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password().reveal());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(config.connectTimeout().toMillis());
        hikari.addDataSourceProperty("ApplicationName", "geofa-sync " + poolName);
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        // PostgreSQL's DETAIL ("Failing row contains (...)") would otherwise be part of every exception message, and so of logs and status
        hikari.addDataSourceProperty("logServerErrorDetail", "false");
        return new HikariDataSource(hikari);
    }
}
