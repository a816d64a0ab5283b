package dk.geofasync.app.http;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** The headers every answer carries: nothing cached, no sniffing, no framing, no scripts (the page has none). */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class ProtectiveHeaders {

    @ResponseFilter
    void protect(MutableHttpResponse<?> response) {
        response.getHeaders().set("Cache-Control", "no-store");
        response.getHeaders().set("X-Content-Type-Options", "nosniff");
        response.getHeaders().set("X-Frame-Options", "DENY");
        response.getHeaders().set("Referrer-Policy", "no-referrer");
        // the page has no scripts and only its own inline style
        response.getHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    }
}
