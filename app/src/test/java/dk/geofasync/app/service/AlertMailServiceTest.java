package dk.geofasync.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.alert.AlertWatch;
import dk.geofasync.app.alert.MailSettings;
import dk.geofasync.app.pipeline.LocalPipeline;
import dk.geofasync.app.retention.Retention;
import dk.geofasync.applier.run.RunKind;
import dk.geofasync.applier.run.Runs;
import dk.geofasync.core.config.Secret;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.DataSources;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.sandbox.vk.SampleVk;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service mails what needs a person: a failed run, and new dead letters as a digest; no object values in either. */
class AlertMailServiceTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();
    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final Mapping MAPPING = SampleVk.vejleMapping();

    @Test
    void aFailedRunAndNewDeadLettersReachTheMailboxWithoutObjectValues() throws Exception {
        try (FakeGeofa fake = FakeGeofa.start(db.config(), FakeGeofa.Settings.defaults());
             HikariDataSource vk = DataSources.pooled(db.config().withMaxPoolSize(12), "alert-test")) {
            LocalPipeline.Settings pipeline = SandboxPipeline.prepare(db, kafka, vk, fake, 10);
            MailSettings mail = new MailSettings("127.0.0.1", smtp.getSmtp().getPort(), MailSettings.Security.NONE, Optional.empty(), Secret.empty(),
                    "geofa-sync@vejle.dk", List.of("gis@vejle.dk"), Map.of(), Duration.ofSeconds(5));
            SyncService.Settings settings = new SyncService.Settings(pipeline, new InetSocketAddress("127.0.0.1", 0), Duration.ofHours(1),
                    Retention.Policy.DEFAULT, Duration.ofSeconds(1), Duration.ZERO, Optional.empty(), SyncService.Applying.ALONE, dk.geofasync.app.action.ActionUsers.none())
                    .withAlerts(new SyncService.Alerting(mail, new AlertWatch.Rules(Duration.ofSeconds(1), Duration.ofHours(1))));

            try (SyncService service = new SyncService(settings)) {
                Thread.sleep(1_500); // the alerts have taken stock: what follows is news
                db.execute("insert into vk.facilitet_punkt (id, facil_ty_k, kvalitet_k, navn, statuskode, off_kode, oprindkode, kontak_ved, geom) values "
                        + "(901, 1012, 9, 'Bænk hos Jens Hansen', 3, 99, 7, 'Jens Hansen, 20304050', 'SRID=25832;POINT(550100 6170100)')");
                Runs runs = new Runs(db.dataSource());
                runs.failed(runs.start(RunKind.ONCE), "GeoFA could not be reached for 30 min", Map.of()); // a cron run on another machine

                Await.until("a digest and a failed-run mail", Duration.ofSeconds(30), () -> smtp.getReceivedMessages().length >= 2);
            }

            MimeMessage[] mails = smtp.getReceivedMessages();
            assertThat(mails).extracting(MimeMessage::getSubject)
                    .anyMatch(s -> s.matches("geofa-sync: run \\d+ \\(once\\) failed"))
                    .contains("geofa-sync: 1 new dead letter");
            String all = String.join("\n", Arrays.stream(mails).map(GreenMailUtil::getWholeMessage).toList());
            assertThat(all).contains("key 901", "column off_kode", "GeoFA could not be reached for 30 min")
                    .as("no object values leave VK by mail").doesNotContain("Jens Hansen", "20304050");
        }
    }
}
