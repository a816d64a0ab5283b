package dk.geofasync.app.http;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** With no users configured, or on standby, the actions are off: every {@code POST /actions/...} is refused, saying why. */
@Controller("/actions")
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = ServiceEndpoints.ACTIONS, notEquals = "on")
public final class ActionsOff {

    private final String why;

    ActionsOff(@Property(name = ServiceEndpoints.ACTIONS) String state) {
        this.why = state.equals(ServiceEndpoints.STANDBY) ? "actions are off here: this instance is on standby; ask the active one\n"
                : "actions are off: no users are configured (run --http-users-file FILE, or GEOFA_SYNC_HTTP_USER and GEOFA_SYNC_HTTP_PASSWORD)\n";
    }

    @Post("/{+path}")
    HttpResponse<String> off(String path) {
        return HttpResponse.<String>status(HttpStatus.FORBIDDEN).body(why).contentType(MediaType.of("text/plain; charset=utf-8"));
    }
}
