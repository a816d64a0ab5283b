package dk.geofasync.app.alert;

import dk.geofasync.core.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where alert mails go and how: the SMTP server, its security, the login (password from a file or
 * the environment, never the settings file), the sender and the recipients, per kind where given.
 *
 * @param to the recipients of every kind that names none of its own
 * @param toByKind recipients of one kind instead of {@code to}
 */
public record MailSettings(String host, int port, Security security, Optional<String> user, Secret password, String from, List<String> to,
                           Map<AlertKind, List<String>> toByKind, Duration timeout) {

    /** How the connection to the SMTP server is protected. */
    public enum Security {
        /** Plain SMTP, then STARTTLS, which must succeed (port 587). */
        STARTTLS,
        /** TLS from the first byte (port 465). */
        SMTPS,
        /** No TLS: only to a server on this machine (a local relay), as the password and the text would travel in clear. */
        NONE
    }

    public MailSettings {
        if (host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            throw new IllegalArgumentException("mail host must be a host name or address, got: " + host);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("mail port must be between 1 and 65535, got " + port);
        }
        if (security == Security.NONE && !local(host)) {
            throw new IllegalArgumentException("--mail-security NONE is only for an SMTP server on this machine, not " + host
                    + ": the login and the alerts would travel unencrypted (use STARTTLS or SMTPS)");
        }
        if (user.isPresent() && password.isEmpty()) {
            throw new IllegalArgumentException("mail user " + user.get() + " has no password: set GEOFA_SYNC_MAIL_PASSWORD_FILE or GEOFA_SYNC_MAIL_PASSWORD");
        }
        to = List.copyOf(to);
        toByKind = Map.copyOf(toByKind);
        if (to.isEmpty() && toByKind.isEmpty()) {
            throw new IllegalArgumentException("mail has no recipients: set --mail-to (or --mail-to-KIND)");
        }
        for (String address : to) {
            checkAddress(address);
        }
        toByKind.values().forEach(list -> list.forEach(MailSettings::checkAddress));
        checkAddress(from);
    }

    /** Who gets alerts of this kind; empty when nobody does. */
    public List<String> recipients(AlertKind kind) {
        return toByKind.getOrDefault(kind, to);
    }

    private static boolean local(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1") || host.equals("[::1]");
    }

    private static void checkAddress(String address) {
        if (address == null || !address.matches("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+")) {
            throw new IllegalArgumentException("not a mail address: " + address);
        }
    }
}
