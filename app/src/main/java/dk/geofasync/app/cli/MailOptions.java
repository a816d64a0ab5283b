package dk.geofasync.app.cli;

import dk.geofasync.app.alert.AlertKind;
import dk.geofasync.app.alert.AlertWatch;
import dk.geofasync.app.alert.MailSettings;
import dk.geofasync.app.service.SyncService;
import dk.geofasync.core.config.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Alert mails: the SMTP server, the login (password from a file or the environment only) and who gets which kind. Off without --mail-host. */
public final class MailOptions {

    @Option(names = "--mail-host", defaultValue = "${env:GEOFA_SYNC_MAIL_HOST}", paramLabel = "HOST",
            description = "SMTP server for alert mails (env GEOFA_SYNC_MAIL_HOST); none: no mails")
    String host;
    @Option(names = "--mail-port", defaultValue = "${env:GEOFA_SYNC_MAIL_PORT}", paramLabel = "PORT",
            description = "SMTP port (default 587; 465 with SMTPS, 25 with NONE)")
    Integer port;
    @Option(names = "--mail-security", defaultValue = "${env:GEOFA_SYNC_MAIL_SECURITY:-STARTTLS}", paramLabel = "STARTTLS|SMTPS|NONE",
            description = "STARTTLS (default, must succeed), SMTPS (TLS from the start), or NONE (only to a relay on this machine)")
    MailSettings.Security security;
    @Option(names = "--mail-user", defaultValue = "${env:GEOFA_SYNC_MAIL_USER}", paramLabel = "USER",
            description = "SMTP login (env GEOFA_SYNC_MAIL_USER); none: send without logging in")
    String user;
    @Option(names = "--mail-password-file", defaultValue = "${env:GEOFA_SYNC_MAIL_PASSWORD_FILE}", paramLabel = "FILE",
            description = "file holding the SMTP password (env GEOFA_SYNC_MAIL_PASSWORD_FILE); else env GEOFA_SYNC_MAIL_PASSWORD")
    Path passwordFile;
    @Option(names = "--mail-from", defaultValue = "${env:GEOFA_SYNC_MAIL_FROM}", paramLabel = "ADDRESS", description = "sender address")
    String from;
    @Option(names = "--mail-to", defaultValue = "${env:GEOFA_SYNC_MAIL_TO}", paramLabel = "ADDRESS[,ADDRESS...]",
            description = "recipients of every kind of alert that names none of its own")
    String to;
    @Option(names = "--mail-to-run-failed", defaultValue = "${env:GEOFA_SYNC_MAIL_TO_RUN_FAILED}", paramLabel = "ADDRESS[,...]",
            description = "recipients of failed runs instead of --mail-to")
    String toRunFailed;
    @Option(names = "--mail-to-dead-letters", defaultValue = "${env:GEOFA_SYNC_MAIL_TO_DEAD_LETTERS}", paramLabel = "ADDRESS[,...]",
            description = "recipients of the dead-letter digest instead of --mail-to (e.g. the GIS staff who fix rows)")
    String toDeadLetters;
    @Option(names = "--mail-to-operations", defaultValue = "${env:GEOFA_SYNC_MAIL_TO_OPERATIONS}", paramLabel = "ADDRESS[,...]",
            description = "recipients of lag, Kafka retention and GeoFA login alerts instead of --mail-to (e.g. the DBAs)")
    String toOperations;
    @Option(names = "--mail-to-reconcile", defaultValue = "${env:GEOFA_SYNC_MAIL_TO_RECONCILE}", paramLabel = "ADDRESS[,...]",
            description = "recipients of reconcile reports instead of --mail-to")
    String toReconcile;
    @Option(names = "--mail-digest-minutes", defaultValue = "${env:GEOFA_SYNC_MAIL_DIGEST_MINUTES:-15}", paramLabel = "MINUTES",
            description = "at most one dead-letter digest per this many minutes (default ${DEFAULT-VALUE})")
    int digestMinutes;
    @Option(names = "--alert-lag-minutes", defaultValue = "${env:GEOFA_SYNC_ALERT_LAG_MINUTES:-60}", paramLabel = "MINUTES",
            description = "mail when the oldest unhandled change is this old (default ${DEFAULT-VALUE})")
    int lagMinutes;

    /** The mail settings; empty without {@code --mail-host}. */
    public Optional<MailSettings> settings() {
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        if (from == null || from.isBlank()) {
            throw new IllegalArgumentException("--mail-from is not set: alert mails need a sender address");
        }
        Map<AlertKind, List<String>> byKind = new EnumMap<>(AlertKind.class);
        addresses(toRunFailed).ifPresent(a -> byKind.put(AlertKind.RUN_FAILED, a));
        addresses(toDeadLetters).ifPresent(a -> byKind.put(AlertKind.DEAD_LETTERS, a));
        addresses(toReconcile).ifPresent(a -> byKind.put(AlertKind.RECONCILE_REPORT, a));
        addresses(toOperations).ifPresent(a -> List.of(AlertKind.LAG, AlertKind.RETENTION, AlertKind.GEOFA_LOGIN_REFUSED).forEach(k -> byKind.put(k, a)));
        Optional<String> login = Optional.ofNullable(user).filter(u -> !u.isBlank());
        Secret password = login.isPresent() ? Secret.fromFileOrEnvironment(passwordFile, "GEOFA_SYNC_MAIL_PASSWORD") : Secret.empty();
        int smtpPort = port != null ? port : switch (security) {
            case STARTTLS -> 587;
            case SMTPS -> 465;
            case NONE -> 25;
        };
        return Optional.of(new MailSettings(host.strip(), smtpPort, security, login, password, from.strip(), addresses(to).orElse(List.of()), byKind,
                Duration.ofSeconds(30)));
    }

    /** The service's alerting; empty without {@code --mail-host}. */
    public Optional<SyncService.Alerting> alerting() {
        if (digestMinutes < 1 || lagMinutes < 1) {
            throw new IllegalArgumentException("--mail-digest-minutes and --alert-lag-minutes must be at least 1");
        }
        return settings().map(m -> new SyncService.Alerting(m, new AlertWatch.Rules(Duration.ofMinutes(digestMinutes), Duration.ofMinutes(lagMinutes))));
    }

    private static Optional<List<String>> addresses(String list) {
        if (list == null || list.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(list.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList());
    }
}
