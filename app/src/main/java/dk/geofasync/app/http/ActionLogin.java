package dk.geofasync.app.http;

import dk.geofasync.app.action.ActionUsers;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks an action's credentials (HTTP basic) against the configured {@link ActionUsers}. */
@Singleton
@Requires(property = ServiceEndpoints.ACTIONS, value = "on")
public final class ActionLogin<B> implements HttpRequestAuthenticationProvider<B> {

    private static final Logger LOG = LoggerFactory.getLogger(ActionLogin.class);

    private final ActionUsers users;

    ActionLogin(ActionUsers users) {
        this.users = users;
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> credentials) {
        return users.check(credentials.getIdentity(), credentials.getSecret()).map(AuthenticationResponse::success).orElseGet(() -> {
            // neither the name nor the password given: a mistyped password is often another password
            LOG.warn("refused an action's credentials from {}", request.getRemoteAddress().getAddress().getHostAddress());
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        });
    }
}
