package dk.geofasync.app.cli;

import dk.geofasync.applier.geofa.GeofaSettings;
import dk.geofasync.core.config.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where GeoFA is and who logs in. The password has no option of its own: environment or file only. */
public final class GeofaOptions {

    @Option(names = "--geofa-url", defaultValue = "${env:GEOFA_SYNC_GEOFA_URL:-https://geofa.geodanmark.dk}", paramLabel = "URL",
            description = "GeoFA (env GEOFA_SYNC_GEOFA_URL; default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--geofa-allow-http", defaultValue = "${env:GEOFA_SYNC_GEOFA_ALLOW_HTTP:-false}", paramLabel = "BOOLEAN", arity = "0..1",
            description = "allow a plain http:// GeoFA URL on another machine (env GEOFA_SYNC_GEOFA_ALLOW_HTTP); for a sandbox GeoFA "
                    + "in a container only: the password and the data would travel unencrypted")
    boolean allowHttp;

    @Option(names = "--geofa-user", defaultValue = "${env:GEOFA_SYNC_GEOFA_USER}", paramLabel = "USER",
            description = "GeoFA user, e.g. kom630 (env GEOFA_SYNC_GEOFA_USER)")
    String user;

    @Option(names = "--geofa-password-file", defaultValue = "${env:GEOFA_SYNC_GEOFA_PASSWORD_FILE}", paramLabel = "FILE",
            description = "file holding GeoFA's password (env GEOFA_SYNC_GEOFA_PASSWORD_FILE); else env GEOFA_SYNC_GEOFA_PASSWORD")
    Path passwordFile;

    @Option(names = "--geofa-timeout", defaultValue = "${env:GEOFA_SYNC_GEOFA_TIMEOUT_SECONDS:-30}", paramLabel = "SECONDS",
            description = "how long one GeoFA request may take before its outcome counts as unknown (env GEOFA_SYNC_GEOFA_TIMEOUT_SECONDS; "
                    + "default ${DEFAULT-VALUE}); a request left unanswered is settled by a look-up")
    int timeoutSeconds;

    @Option(names = "--geofa-requests-per-minute", defaultValue = "${env:GEOFA_SYNC_GEOFA_REQUESTS_PER_MINUTE:-110}", paramLabel = "N",
            description = "the sync's share of the GeoFA user's request budget (GeoFA allows 120 a minute per user by default; the rest "
                    + "is left for staff's own QGIS or editor use of the same user; env GEOFA_SYNC_GEOFA_REQUESTS_PER_MINUTE; default "
                    + "${DEFAULT-VALUE}; 0 = no limit of our own)")
    int requestsPerMinute;

    @Option(names = "--geofa-rows-per-request", defaultValue = "${env:GEOFA_SYNC_GEOFA_ROWS_PER_REQUEST:-2000}", paramLabel = "N",
            description = "the most objects one GeoFA request carries over all its statements (env GEOFA_SYNC_GEOFA_ROWS_PER_REQUEST; "
                    + "default ${DEFAULT-VALUE}); fewer while GeoFA answers slowly or runs into its 60 s statement timeout")
    int rowsPerRequest;

    @Option(names = "--geofa-retry-wait", defaultValue = "${env:GEOFA_SYNC_GEOFA_RETRY_WAIT_MS:-500}", paramLabel = "MILLISECONDS",
            description = "the first wait before a request GeoFA did not apply (503, an unexplained 500) is tried again; it doubles up to "
                    + "30 s, and `once` waits 4 to 30 times it between rounds in which GeoFA took nothing (env GEOFA_SYNC_GEOFA_RETRY_WAIT_MS; "
                    + "default ${DEFAULT-VALUE})")
    int retryWaitMillis;

    public GeofaSettings settings() {
        checkEncrypted();
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("the GeoFA user is not set: give --geofa-user or set GEOFA_SYNC_GEOFA_USER");
        }
        Secret password = Secret.fromFileOrEnvironment(passwordFile, "GEOFA_SYNC_GEOFA_PASSWORD");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("GeoFA's password is not set: set GEOFA_SYNC_GEOFA_PASSWORD or GEOFA_SYNC_GEOFA_PASSWORD_FILE");
        }
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--geofa-timeout must be at least 1 second, got " + timeoutSeconds);
        }
        if (retryWaitMillis < 1 || retryWaitMillis > 30_000) {
            throw new IllegalArgumentException("--geofa-retry-wait must be 1 to 30000 milliseconds, got " + retryWaitMillis);
        }
        if (requestsPerMinute < 0 || rowsPerRequest < 1) {
            throw new IllegalArgumentException("--geofa-requests-per-minute must be 0 (no limit) or more and --geofa-rows-per-request at least 1");
        }
        return GeofaSettings.of(url, user, password).withRequestTimeout(Duration.ofSeconds(timeoutSeconds))
                .withRequestsPerMinute(requestsPerMinute).withMaxRowsPerRequest(rowsPerRequest)
                .withBackoff(Duration.ofMillis(retryWaitMillis), Duration.ofSeconds(30));
    }

    /** GeoFA's password and VK's data travel encrypted, except to this machine itself (a sandbox) or when allowed outright. */
    private void checkEncrypted() {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        String host = url.getHost() == null ? "" : url.getHost();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        if (scheme.equals("https") || scheme.equals("http") && (loopback || allowHttp)) {
            return;
        }
        throw new IllegalArgumentException("--geofa-url must be an https:// URL (got " + scheme + "://" + host
                + "): GeoFA's password and the municipality's data must not travel unencrypted. "
                + "For a sandbox GeoFA in a container, set GEOFA_SYNC_GEOFA_ALLOW_HTTP=true");
    }
}
