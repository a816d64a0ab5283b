package dk.geofasync.app.alert;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/** Sends an alert as one mail (plain text and HTML) to its kind's recipients, through Jakarta Mail. */
public final class AlertMailer {

    private final MailSettings settings;
    private final Session session;

    public AlertMailer(MailSettings settings) {
        this.settings = settings;
        this.session = Session.getInstance(properties(settings));
    }

    /**
     * Sends it, or does nothing when the kind has no recipients.
     *
     * @return whether a mail went
     * @throws IllegalStateException naming the server and its answer (never the password) when it could not be sent
     */
    public boolean send(Alert alert) {
        List<String> recipients = settings.recipients(alert.kind());
        if (recipients.isEmpty()) {
            return false;
        }
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(settings.from(), true));
            for (String r : recipients) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(r, true));
            }
            message.setSubject(alert.subject(), StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            message.setHeader("Auto-Submitted", "auto-generated"); // RFC 3834: no vacation replies to a robot
            MimeBodyPart text = new MimeBodyPart();
            text.setText(alert.text(), StandardCharsets.UTF_8.name());
            MimeBodyPart html = new MimeBodyPart();
            html.setContent(alert.html(), "text/html; charset=UTF-8");
            MimeMultipart both = new MimeMultipart("alternative", text, html);
            message.setContent(both);
            String protocol = settings.security() == MailSettings.Security.SMTPS ? "smtps" : "smtp";
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect(settings.host(), settings.port(), settings.user().orElse(null),
                        settings.user().isPresent() ? settings.password().reveal() : null);
                transport.sendMessage(message, message.getAllRecipients());
            }
            return true;
        } catch (MessagingException e) {
            throw new IllegalStateException("could not send the " + alert.kind().setting() + " alert through " + settings.host() + ":" + settings.port()
                    + " (" + settings.security() + "): " + firstLine(e), e);
        }
    }

    private static String firstLine(MessagingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName());
        return m.lines().findFirst().orElse(m);
    }

    private static Properties properties(MailSettings s) {
        Properties p = new Properties();
        String prefix = s.security() == MailSettings.Security.SMTPS ? "mail.smtps." : "mail.smtp.";
        String millis = Long.toString(s.timeout().toMillis());
        p.setProperty(prefix + "connectiontimeout", millis);
        p.setProperty(prefix + "timeout", millis);
        p.setProperty(prefix + "writetimeout", millis);
        p.setProperty(prefix + "auth", Boolean.toString(s.user().isPresent()));
        switch (s.security()) {
            case STARTTLS -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true"); // never fall back to sending the login in clear
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
            case SMTPS -> {
                p.setProperty("mail.smtps.ssl.enable", "true");
                p.setProperty("mail.smtps.ssl.checkserveridentity", "true");
            }
            case NONE -> {
                // a relay on this machine (MailSettings refuses NONE to any other host)
            }
        }
        return p;
    }
}
