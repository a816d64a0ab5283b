package dk.geofasync.sandbox.geofa;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** Applies the armed {@link Faults} to an API request before it reaches its endpoint. */
final class FaultFilter extends Filter {

    private final Faults faults;

    FaultFilter(Faults faults) {
        this.faults = faults;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        JsonExchange json = new JsonExchange(exchange);
        pause(faults.latency());
        Optional<Duration> hang = faults.takeHang();
        if (hang.isPresent()) {
            pause(hang.get());
            json.error(504, "Gateway Timeout");
            return;
        }
        Optional<Duration> late = faults.takeLate();
        if (late.isPresent()) {
            pause(late.get());
            chain.doFilter(exchange); // its answer goes to a client that stopped waiting
            return;
        }
        Optional<Duration> throttle = faults.takeThrottle();
        if (throttle.isPresent()) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, throttle.get().toSeconds())));
            json.error(429, "Too Many Requests");
            return;
        }
        Optional<String> matching = faults.failMatching();
        if (matching.isPresent()) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.setStreams(new java.io.ByteArrayInputStream(body), null); // the endpoint reads it again
            if (new String(body, java.nio.charset.StandardCharsets.UTF_8).contains(matching.get())) {
                json.error(faults.failMatchingStatus(), faults.failMatchingStatus() == 503 ? "Service Unavailable" : "Internal Server Error");
                return;
            }
        }
        Optional<Integer> failure = faults.takeFailure();
        if (failure.isPresent()) {
            json.error(failure.get(), faults.failMessage().orElse(failure.get() == 503 ? "Service Unavailable" : "Internal Server Error"));
            return;
        }
        chain.doFilter(exchange);
    }

    private static void pause(Duration time) throws IOException {
        if (time.isZero()) {
            return;
        }
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while injecting a delay", e);
        }
    }

    @Override
    public String description() {
        return "injects faults into the fake GeoFA's API";
    }
}
