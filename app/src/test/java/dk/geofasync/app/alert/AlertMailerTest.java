package dk.geofasync.app.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dk.geofasync.core.config.Secret;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alert mails through a real SMTP server (GreenMail, in-process): text and HTML, the login, the recipients per kind. */
class AlertMailerTest {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("geofa-sync@vejle.dk", "geofa-sync", "smtp-secret"));

    static MailSettings settings(String password, Map<AlertKind, List<String>> byKind) {
        return new MailSettings("127.0.0.1", smtp.getSmtp().getPort(), MailSettings.Security.NONE, Optional.of("geofa-sync"), Secret.of(password),
                "geofa-sync@vejle.dk", List.of("gis@vejle.dk"), byKind, Duration.ofSeconds(5));
    }

    @Test
    void anAlertArrivesAsTextAndHtmlWithTheLogin() throws Exception {
        Alert alert = new Alert(AlertKind.DEAD_LETTERS, "geofa-sync: 1 new dead letter",
                List.of("#4  vk.facilitet_punkt  key 802  column off_kode: off_kode = 99 is not a value of GeoFA's code list <d_basis_offentlig>"));

        assertThat(new AlertMailer(settings("smtp-secret", Map.of())).send(alert)).isTrue();

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage mail = received[0];
        assertThat(mail.getSubject()).isEqualTo("geofa-sync: 1 new dead letter");
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("gis@vejle.dk");
        assertThat(mail.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getBodyPart(0).getContent().toString()).contains("key 802  column off_kode", "<d_basis_offentlig>");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(parts.getBodyPart(1).getContent().toString()).contains("&lt;d_basis_offentlig&gt;");
    }

    @Test
    void eachKindGoesToItsOwnRecipientsWhereGiven() throws Exception {
        AlertMailer mailer = new AlertMailer(settings("smtp-secret", Map.of(AlertKind.LAG, List.of("dba@vejle.dk", "drift@vejle.dk"))));

        mailer.send(new Alert(AlertKind.LAG, "geofa-sync: changes wait", List.of("x")));

        assertThat(smtp.getReceivedMessages()).hasSize(2); // one copy per mailbox
        assertThat(smtp.getReceivedMessages()[0].getAllRecipients()).extracting(Object::toString).containsExactly("dba@vejle.dk", "drift@vejle.dk");
    }

    @Test
    void aRefusedLoginIsReportedWithoutThePassword() {
        AlertMailer mailer = new AlertMailer(settings("wrong-smtp-password", Map.of()));

        assertThatThrownBy(() -> mailer.send(new Alert(AlertKind.TEST, "t", List.of("t"))))
                .hasMessageContaining("could not send the test alert through 127.0.0.1:" + smtp.getSmtp().getPort())
                .hasMessageNotContaining("wrong-smtp-password");
    }

    @Test
    void mailTestCommandSendsOneMailToEveryRecipient() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = dk.geofasync.app.GeofaSync.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));

        int code = cli.execute("mail-test", "--mail-host", "127.0.0.1", "--mail-port", Integer.toString(smtp.getSmtp().getPort()),
                "--mail-security", "NONE", "--mail-from", "geofa-sync@vejle.dk", "--mail-to", "gis@vejle.dk", "--mail-to-operations", "dba@vejle.dk");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("test mail sent through 127.0.0.1:" + smtp.getSmtp().getPort() + " to gis@vejle.dk, dba@vejle.dk");
        assertThat(smtp.getReceivedMessages()).extracting(MimeMessage::getSubject).containsExactly("geofa-sync: test mail", "geofa-sync: test mail");
    }

    @Test
    void settingsRefuseAnUnencryptedServerElsewhereAndAlertsWithoutRecipients() {
        assertThatThrownBy(() -> new MailSettings("smtp.vejle.dk", 25, MailSettings.Security.NONE, Optional.empty(), Secret.empty(),
                "geofa-sync@vejle.dk", List.of("gis@vejle.dk"), Map.of(), Duration.ofSeconds(5)))
                .hasMessageContaining("--mail-security NONE is only for an SMTP server on this machine, not smtp.vejle.dk");
        assertThatThrownBy(() -> new MailSettings("smtp.vejle.dk", 587, MailSettings.Security.STARTTLS, Optional.empty(), Secret.empty(),
                "geofa-sync@vejle.dk", List.of(), Map.of(), Duration.ofSeconds(5))).hasMessageContaining("mail has no recipients");
        assertThatThrownBy(() -> new MailSettings("smtp.vejle.dk", 587, MailSettings.Security.STARTTLS, Optional.of("u"), Secret.empty(),
                "geofa-sync@vejle.dk", List.of("gis@vejle.dk"), Map.of(), Duration.ofSeconds(5))).hasMessageContaining("mail user u has no password");
    }
}
