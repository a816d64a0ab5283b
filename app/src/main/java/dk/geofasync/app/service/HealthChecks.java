package dk.geofasync.app.service;

import dk.geofasync.applier.geofa.GeofaClient;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;

/**
 * Readiness: can the service reach VK, Kafka and GeoFA right now? Each check has a short time limit
 * and the answer is kept a few seconds, so a busy probe does not load the three systems.
 */
public final class HealthChecks implements AutoCloseable {

    /** One system's answer: empty problem means reachable. */
    public record Check(String name, Optional<String> problem) {
        public boolean ok() {
            return problem.isEmpty();
        }
    }

    private static final Duration LIMIT = Duration.ofSeconds(3);
    private static final Duration KEEP = Duration.ofSeconds(5);

    private final Map<String, Callable<Void>> checks = new LinkedHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "geofa-sync-health");
        t.setDaemon(true);
        return t;
    });
    private List<Check> last = List.of();
    private Instant checkedAt = Instant.MIN;

    public HealthChecks(DataSource vk, Admin kafka, GeofaClient geofa) {
        checks.put("vk", () -> {
            try (Connection c = vk.getConnection(); Statement s = c.createStatement()) {
                s.execute("select 1");
            }
            return null;
        });
        checks.put("kafka", () -> {
            kafka.describeCluster().clusterId().get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        });
        // a statement GeoFA's SQL API answers without touching data: proves the address, the login and the API
        checks.put("geofa", () -> {
            geofa.execute("select 1 as ok", List.of());
            return null;
        });
    }

    public synchronized List<Check> check() {
        if (Instant.now().isBefore(checkedAt.plus(KEEP))) {
            return last;
        }
        Map<String, Future<Void>> running = new LinkedHashMap<>();
        checks.forEach((name, check) -> running.put(name, pool.submit(check)));
        List<Check> results = new java.util.ArrayList<>();
        running.forEach((name, f) -> {
            try {
                f.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                results.add(new Check(name, Optional.empty()));
            } catch (TimeoutException e) {
                f.cancel(true);
                results.add(new Check(name, Optional.of("no answer within " + LIMIT.toSeconds() + " s")));
            } catch (java.util.concurrent.ExecutionException e) {
                results.add(new Check(name, Optional.of(String.valueOf(e.getCause().getMessage()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.add(new Check(name, Optional.of("interrupted")));
            }
        });
        last = List.copyOf(results);
        checkedAt = Instant.now();
        return last;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
