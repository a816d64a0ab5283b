package dk.geofasync.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.app.action.ActionKind;
import dk.geofasync.app.action.ActionLog;
import dk.geofasync.app.action.ActionOutcome;
import dk.geofasync.app.action.ServiceActions;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actions that change state, each for an authenticated user only and each recorded in
 * {@code sync.action}: {@code POST /actions/sync}, {@code /actions/dead-letters/retry?id=N|all=true},
 * {@code /actions/dead-letters/discard?id=N&id=M}, {@code /actions/reconcile},
 * {@code /actions/applier/pause[?reason=…]} and {@code /actions/applier/resume}.
 */
@Controller("/actions")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING) // the actions write to VK
@Requires(property = ServiceEndpoints.ACTIONS, value = "on")
public final class ActionsController {

    private static final Logger LOG = LoggerFactory.getLogger(ActionsController.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON = 200;

    private final ServiceActions actions;
    private final ActionLog log;

    ActionsController(ServiceActions actions, ActionLog log) {
        this.actions = actions;
        this.log = log;
    }

    @Post("/sync")
    HttpResponse<String> sync(HttpRequest<?> request, Authentication who) {
        return act(request, who, ActionKind.SYNC_NOW, "outbox", actions::syncNow);
    }

    @Post("/reconcile")
    HttpResponse<String> reconcile(HttpRequest<?> request, Authentication who) {
        return act(request, who, ActionKind.RECONCILE, "all tables", actions::reconcileNow);
    }

    @Post("/applier/pause")
    HttpResponse<String> pause(HttpRequest<?> request, Authentication who, @Nullable @QueryValue String reason) {
        Optional<String> why = Optional.ofNullable(reason).map(String::strip).filter(r -> !r.isEmpty());
        if (why.isPresent() && why.get().length() > MAX_REASON) {
            return act(request, who, ActionKind.APPLIER_PAUSE, "applier", () -> ActionOutcome.refused("the reason has at most " + MAX_REASON + " characters"));
        }
        return act(request, who, ActionKind.APPLIER_PAUSE, "applier", () -> actions.pauseApplier(who.getName(), why));
    }

    @Post("/applier/resume")
    HttpResponse<String> resume(HttpRequest<?> request, Authentication who) {
        return act(request, who, ActionKind.APPLIER_RESUME, "applier", actions::resumeApplier);
    }

    @Post("/dead-letters/retry")
    HttpResponse<String> retry(HttpRequest<?> request, Authentication who, @Nullable @QueryValue Long id, @Nullable @QueryValue Boolean all) {
        boolean every = Boolean.TRUE.equals(all);
        if ((id == null) == !every) {
            return act(request, who, ActionKind.DEAD_LETTERS_RETRY, "-", () -> ActionOutcome.refused("give one dead letter: ?id=N, or every open one: ?all=true"));
        }
        return act(request, who, ActionKind.DEAD_LETTERS_RETRY, every ? "all" : "#" + id, () -> actions.retryDeadLetters(Optional.ofNullable(id)));
    }

    @Post("/dead-letters/discard")
    HttpResponse<String> discard(HttpRequest<?> request, Authentication who) {
        List<Long> ids;
        try {
            ids = request.getParameters().getAll("id").stream().map(Long::valueOf).toList();
        } catch (NumberFormatException e) {
            return act(request, who, ActionKind.DEAD_LETTERS_DISCARD, "-", () -> ActionOutcome.refused("a dead letter's id is a number: ?id=N&id=M"));
        }
        if (ids.isEmpty()) {
            return act(request, who, ActionKind.DEAD_LETTERS_DISCARD, "-", () -> ActionOutcome.refused("give the dead letters: ?id=N&id=M"));
        }
        return act(request, who, ActionKind.DEAD_LETTERS_DISCARD, ids.stream().map(i -> "#" + i).collect(Collectors.joining(" ")),
                () -> actions.discardDeadLetters(ids));
    }

    private HttpResponse<String> act(HttpRequest<?> request, Authentication who, ActionKind kind, String target, Supplier<ActionOutcome> action) {
        String from = request.getRemoteAddress().getAddress().getHostAddress();
        Optional<String> foreign = foreignOrigin(request);
        if (foreign.isPresent()) {
            // a page of another site must not make a browser that knows the password act (basic auth is resent by browsers)
            ActionOutcome refused = ActionOutcome.refused("not done: sent from another site's page (" + foreign.get() + ")");
            log.record(who.getName(), kind, target, refused, from);
            LOG.warn("refused {} by {}: the request came from another site's page", kind.code(), who.getName());
            return answer(kind, refused, HttpStatus.FORBIDDEN);
        }
        ActionOutcome outcome;
        try {
            outcome = action.get();
        } catch (RuntimeException e) {
            // the answer and sync.action name the kind of failure only: a database's message may quote a row's values
            LOG.warn("action {} by {} failed", kind.code(), who.getName(), e);
            outcome = ActionOutcome.failed("failed (" + e.getClass().getSimpleName() + "); the service's log has the cause");
        }
        log.record(who.getName(), kind, target, outcome, from);
        LOG.info("action {} on {} by {}: {} ({})", kind.code(), target, who.getName(), outcome.result(), outcome.detail());
        return answer(kind, outcome);
    }

    /** The page's site when a browser sent the request from a page not served here. */
    private static Optional<String> foreignOrigin(HttpRequest<?> request) {
        Optional<String> origin = request.getHeaders().findFirst("Origin");
        if (origin.isEmpty()) {
            return Optional.empty(); // curl, scripts, or a browser on a page of this service
        }
        String host = request.getHeaders().findFirst("Host").orElse("");
        return origin.get().equals("http://" + host) || origin.get().equals("https://" + host) ? Optional.empty()
                : Optional.of(origin.get().equals("null") ? "an opaque origin" : "another origin");
    }

    private static HttpResponse<String> answer(ActionKind kind, ActionOutcome outcome) {
        HttpStatus status = switch (outcome.result()) {
            case DONE -> HttpStatus.OK;
            case REFUSED -> HttpStatus.CONFLICT;
            case FAILED -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        return answer(kind, outcome, status);
    }

    private static HttpResponse<String> answer(ActionKind kind, ActionOutcome outcome, HttpStatus status) {
        String body = JSON.createObjectNode().put("action", kind.code()).put("outcome", outcome.result().name().toLowerCase(java.util.Locale.ROOT))
                .put("detail", outcome.detail()).toPrettyString();
        return HttpResponse.<String>status(status).body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
