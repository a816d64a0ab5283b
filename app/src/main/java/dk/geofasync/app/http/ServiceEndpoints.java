package dk.geofasync.app.http;

import dk.geofasync.app.action.ActionLog;
import dk.geofasync.app.action.ActionUsers;
import dk.geofasync.app.action.ServiceActions;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP side and scheduler on Micronaut (Netty): the read-only endpoints of
 * {@link StatusController} for anyone, and the {@link ActionsController actions} for configured users only.
 */
public final class ServiceEndpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceEndpoints.class);
    /** The property that turns the actions on ({@code on}) when users are configured. */
    static final String ACTIONS = "geofa-sync.actions";
    /** Its value on an instance on standby. */
    static final String STANDBY = "standby";

    /** The actions, with who may take them and where they are recorded. */
    public record Actions(ServiceActions actions, ActionUsers users, ActionLog log) {
    }

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private ServiceEndpoints(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    /** Read-only endpoints only. */
    public static ServiceEndpoints start(InetSocketAddress address, Served served) {
        return start(address, served, Optional.empty());
    }

    /**
     * Serves on {@code address} until closed.
     *
     * @param actions the actions and their users; empty or without users: every action is refused as off
     * @throws IllegalStateException the address cannot be served (a port in use, say)
     */
    public static ServiceEndpoints start(InetSocketAddress address, Served served, Optional<Actions> actions) {
        boolean on = actions.isPresent() && actions.get().users().any();
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.host", address.getHostString());
        settings.put("micronaut.server.port", address.getPort());
        // idle limits: 10 s without a byte of the request due, 30 s without taking the answer, 60 s idle; Netty holds a slow client without a thread
        settings.put("micronaut.server.read-idle-timeout", "10s");
        settings.put("micronaut.server.write-idle-timeout", "30s");
        settings.put("micronaut.server.idle-timeout", "60s");
        settings.put("micronaut.server.max-request-size", 65_536);
        settings.put("micronaut.server.date-header", false);
        settings.put("micronaut.security.enabled", true);
        settings.put("micronaut.security.reject-not-found", false); // an unknown path is a 404, not a login prompt
        settings.put("micronaut.security.basic-auth.enabled", on);
        settings.put(ACTIONS, on ? "on" : served instanceof Served.Standby ? STANDBY : "off");
        List<Object> beans = new ArrayList<>(List.of(served));
        if (on) {
            beans.add(actions.get().actions());
            beans.add(actions.get().users());
            beans.add(actions.get().log());
        }
        for (int attempt = 1; ; attempt++) {
            ApplicationContext context = ApplicationContext.builder()
                    .deduceEnvironment(false).deduceCloudEnvironment(false)
                    .enableDefaultPropertySources(false) // our settings are geofa-sync's own (see ConfigFile), nothing read behind their back
                    .banner(false)
                    .properties(settings)
                    .singletons(beans.toArray())
                    .start();
            try {
                EmbeddedServer server = context.getBean(EmbeddedServer.class);
                server.start();
                LOG.info("status page at http://{}:{}/ (health: /health/live, /health/ready; Prometheus: /metrics; actions: {})",
                        address.getHostString(), server.getPort(), on ? "POST /actions/..., for the configured users"
                        : served instanceof Served.Standby ? "off on standby" : "off, no users configured");
                return new ServiceEndpoints(context, server);
            } catch (RuntimeException e) {
                context.close();
                if (!(root(e) instanceof java.net.BindException) || attempt == BIND_ATTEMPTS) {
                    throw new IllegalStateException("cannot serve HTTP on " + address.getHostString() + ":" + address.getPort() + ": "
                            + root(e).getMessage(), e);
                }
                // a standby taking over binds the port the stopping instance's server may not have let go of yet
                LOG.debug("HTTP port {} still taken, trying again in {} ms", address.getPort(), BIND_WAIT.toMillis());
                try {
                    Thread.sleep(BIND_WAIT.toMillis());
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for HTTP port " + address.getPort(), stop);
                }
            }
        }
    }

    /** How long a port in use is waited for: 5 s in all. */
    private static final int BIND_ATTEMPTS = 10;
    private static final java.time.Duration BIND_WAIT = java.time.Duration.ofMillis(500);

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Micronaut's scheduler, for the service's periodic jobs: it stops with the endpoints. */
    public TaskScheduler scheduler() {
        return context.getBean(TaskScheduler.class, Qualifiers.byName(TaskExecutors.SCHEDULED));
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        try {
            server.stop(); // first, and waited for: a standby's page must free the port for the service taking over on it
        } finally {
            context.close();
        }
    }
}
