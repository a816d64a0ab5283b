package dk.geofasync.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.geofasync.app.service.HealthChecks;
import dk.geofasync.app.status.StatusPage;
import dk.geofasync.app.status.StatusReport;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only endpoints, open to anyone who reaches the port: {@code /} the status page for staff,
 * {@code /status.json}, {@code /health/live} (the pipeline's threads run), {@code /health/ready}
 * (VK, Kafka and GeoFA reachable) and {@code /metrics} for Prometheus.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING) // the answers read VK and Kafka
public final class StatusController {

    private static final Logger LOG = LoggerFactory.getLogger(StatusController.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType HTML = MediaType.of("text/html; charset=utf-8");
    private static final MediaType TEXT = MediaType.of("text/plain; charset=utf-8");
    private static final MediaType PROMETHEUS = MediaType.of("text/plain; version=0.0.4; charset=utf-8");
    private static final String STANDBY = "standby";

    private final Served served;

    StatusController(Served served) {
        this.served = served;
    }

    @Get(produces = "text/html")
    HttpResponse<String> page() {
        if (served instanceof Served.Active a) {
            return answer(HTML, () -> StatusPage.html(a.status().get(), a.activity().get()));
        }
        return HttpResponse.ok("<!DOCTYPE html><html lang=\"da\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"15\">"
                + "<title>geofa-sync standby</title></head><body style=\"font-family:system-ui,sans-serif;margin:2em\"><h1>geofa-sync</h1>"
                + "<p id=\"role\"><b>Standby</b>: " + StatusPage.escape(standby().why()) + "</p></body></html>\n").contentType(HTML);
    }

    @Get(uri = "/status.json", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> statusJson() {
        if (served instanceof Served.Active a) {
            return answer(MediaType.APPLICATION_JSON_TYPE, () -> a.role().get().writeTo(StatusReport.json(a.status().get())).toPrettyString());
        }
        return json(HttpStatus.OK, JSON.createObjectNode().put("role", STANDBY).put("standby_because", standby().why()));
    }

    @Get(uri = "/health/live", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> live() {
        if (served instanceof Served.Active a) {
            boolean ok = a.live().getAsBoolean();
            return json(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, a.role().get().writeTo(JSON.createObjectNode().put("status", ok ? "UP" : "DOWN")));
        }
        return json(HttpStatus.OK, JSON.createObjectNode().put("status", "UP").put("role", STANDBY));
    }

    @Get(uri = "/health/ready", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> ready() {
        if (served instanceof Served.Active a) {
            List<HealthChecks.Check> checks = a.ready().check();
            boolean ok = checks.stream().allMatch(HealthChecks.Check::ok);
            ObjectNode body = a.role().get().writeTo(JSON.createObjectNode().put("status", ok ? "UP" : "DOWN"));
            ObjectNode details = body.putObject("checks");
            checks.forEach(c -> details.putObject(c.name()).put("status", c.ok() ? "UP" : "DOWN").put("problem", c.problem().orElse(null)));
            return json(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, body);
        }
        // not ready: a load balancer or Kubernetes sends no one here until it is the active instance
        return json(HttpStatus.SERVICE_UNAVAILABLE, JSON.createObjectNode().put("status", "DOWN").put("role", STANDBY).put("problem", standby().why()));
    }

    @Get(uri = "/metrics", produces = "text/plain")
    HttpResponse<String> metrics() {
        if (served instanceof Served.Active a) {
            return HttpResponse.ok(a.metrics().scrape()).contentType(PROMETHEUS);
        }
        return HttpResponse.ok("# HELP geofa_sync_active 1 when this instance applies, 0 on standby\n"
                + "# TYPE geofa_sync_active gauge\ngeofa_sync_active 0.0\n").contentType(PROMETHEUS);
    }

    private Served.Standby standby() {
        return (Served.Standby) served;
    }

    /** Any path not served: the path is not echoed, as it is the caller's text. */
    @Error(status = HttpStatus.NOT_FOUND, global = true)
    HttpResponse<String> notFound() {
        return HttpResponse.<String>notFound().body("not found\n").contentType(TEXT);
    }

    @Error(status = HttpStatus.METHOD_NOT_ALLOWED, global = true)
    HttpResponse<String> notAllowed() {
        return HttpResponse.<String>status(HttpStatus.METHOD_NOT_ALLOWED).body("read-only: GET only, except POST /actions/... with credentials\n")
                .contentType(TEXT);
    }

    /** 200 with the body, or 503 naming why it could not be made (VK out of reach, say). */
    private static HttpResponse<String> answer(MediaType type, Supplier<String> body) {
        try {
            return HttpResponse.ok(body.get()).contentType(type);
        } catch (RuntimeException e) {
            LOG.warn("status unavailable: {}", e.getMessage());
            return HttpResponse.<String>status(HttpStatus.SERVICE_UNAVAILABLE).body("status unavailable: " + e.getMessage() + "\n").contentType(TEXT);
        }
    }

    private static HttpResponse<String> json(HttpStatus status, ObjectNode body) {
        return HttpResponse.<String>status(status).body(body.toPrettyString()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
