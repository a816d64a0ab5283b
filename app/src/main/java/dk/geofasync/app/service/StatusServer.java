package dk.geofasync.app.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dk.geofasync.app.status.Activity;
import dk.geofasync.app.status.StatusPage;
import dk.geofasync.app.status.StatusReport;
import dk.geofasync.app.status.SyncStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP endpoints, read-only: {@code /} the status page for staff, {@code /status.json},
 * {@code /health/live} (the pipeline's threads run), {@code /health/ready} (VK, Kafka and GeoFA
 * reachable) and {@code /metrics} for Prometheus.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Threads answering requests: enough that a few slow or stalled clients cannot starve the health checks. */
    private static final int THREADS = 16;

    static {
        // the JDK server's own limits (read once, when its classes load): a client must send its request
        // within 10 s and take the answer within 30 s, so half-open connections cannot hold threads for ever
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "10"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "30"));
    }

    private final HttpServer server;
    private final ExecutorService executor;

    public StatusServer(InetSocketAddress address, Supplier<SyncStatus> status, BooleanSupplier live, HealthChecks ready, SyncMetrics metrics)
            throws IOException {
        this(address, status, Optional::empty, live, ready, metrics, () -> InstanceRole.ACTIVE);
    }

    /**
     * @param activity the charts of the last days for the page (empty: the page goes without them)
     * @param role     what the instance does for its group, on every JSON endpoint
     */
    public StatusServer(InetSocketAddress address, Supplier<SyncStatus> status, Supplier<Optional<Activity>> activity, BooleanSupplier live,
                        HealthChecks ready, SyncMetrics metrics, Supplier<InstanceRole> role) throws IOException {
        this(address, server -> {
            server.createContext("/", x -> {
                if (!x.getRequestURI().getPath().equals("/")) {
                    send(x, 404, "text/plain; charset=utf-8", "not found\n"); // the path is not echoed: it is the caller's text
                } else {
                    answer(x, "text/html; charset=utf-8", () -> StatusPage.html(status.get(), activity.get()));
                }
            });
            server.createContext("/status.json", x -> answer(x, "application/json",
                    () -> role.get().writeTo(StatusReport.json(status.get())).toPrettyString()));
            server.createContext("/health/live", x -> {
                boolean ok = live.getAsBoolean();
                send(x, ok ? 200 : 503, "application/json", role.get().writeTo(JSON.createObjectNode().put("status", ok ? "UP" : "DOWN")).toPrettyString());
            });
            server.createContext("/health/ready", x -> {
                List<HealthChecks.Check> checks = ready.check();
                boolean ok = checks.stream().allMatch(HealthChecks.Check::ok);
                ObjectNode body = role.get().writeTo(JSON.createObjectNode().put("status", ok ? "UP" : "DOWN"));
                ObjectNode details = body.putObject("checks");
                checks.forEach(c -> details.putObject(c.name()).put("status", c.ok() ? "UP" : "DOWN").put("problem", c.problem().orElse(null)));
                send(x, ok ? 200 : 503, "application/json", body.toPrettyString());
            });
            server.createContext("/metrics", x -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        });
    }

    /**
     * The endpoints of an instance on standby (another instance applies; see {@link Standby}): alive,
     * not ready, and saying so on the page, in {@code /status.json} and as {@code geofa_sync_active 0}.
     */
    static StatusServer standby(InetSocketAddress address, String why) throws IOException {
        String page = "<!DOCTYPE html><html lang=\"da\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"15\">"
                + "<title>geofa-sync standby</title></head><body style=\"font-family:system-ui,sans-serif;margin:2em\"><h1>geofa-sync</h1>"
                + "<p id=\"role\"><b>Standby</b>: " + StatusPage.escape(why) + "</p></body></html>\n";
        String json = JSON.createObjectNode().put("role", STANDBY).put("standby_because", why).toPrettyString();
        return new StatusServer(address, server -> {
            server.createContext("/", x -> send(x, x.getRequestURI().getPath().equals("/") ? 200 : 404, "text/html; charset=utf-8", page));
            server.createContext("/status.json", x -> send(x, 200, "application/json", json));
            server.createContext("/health/live", x -> send(x, 200, "application/json",
                    JSON.createObjectNode().put("status", "UP").put("role", STANDBY).toPrettyString()));
            // not ready: a load balancer or Kubernetes sends no one here until it is the active instance
            server.createContext("/health/ready", x -> send(x, 503, "application/json",
                    JSON.createObjectNode().put("status", "DOWN").put("role", STANDBY).put("problem", why).toPrettyString()));
            server.createContext("/metrics", x -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8",
                    "# HELP geofa_sync_active 1 when this instance applies, 0 on standby\n# TYPE geofa_sync_active gauge\ngeofa_sync_active 0.0\n"));
        });
    }

    /** The role a standby shows. */
    static final String STANDBY = "standby";

    private StatusServer(InetSocketAddress address, java.util.function.Consumer<HttpServer> routes) throws IOException {
        server = HttpServer.create(address, 0);
        executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "geofa-sync-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        routes.accept(server);
        server.start();
        LOG.info("status page at http://{}:{}/ (health: /health/live, /health/ready; Prometheus: /metrics)",
                address.getHostString(), server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** 200 with the body, or 503 naming why it could not be made (VK out of reach, say). */
    private static void answer(HttpExchange x, String type, Supplier<String> body) throws IOException {
        String text;
        try {
            text = body.get();
        } catch (RuntimeException e) {
            LOG.warn("status unavailable: {}", e.getMessage());
            send(x, 503, "text/plain; charset=utf-8", "status unavailable: " + e.getMessage() + "\n");
            return;
        }
        send(x, 200, type, text);
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        try (x) {
            if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
                byte[] refused = "read-only: GET only\n".getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(405, refused.length);
                x.getResponseBody().write(refused);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", type);
            x.getResponseHeaders().set("Cache-Control", "no-store");
            x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            x.getResponseHeaders().set("X-Frame-Options", "DENY");
            x.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            // the page has no scripts and only its own inline style
            x.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
            x.sendResponseHeaders(status, x.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
            if (!x.getRequestMethod().equals("HEAD")) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{} {}: {}", x.getRequestMethod(), x.getRequestURI(), e.getMessage());
            throw e;
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
