package dk.geofasync.app.cli;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.alert.Alert;
import dk.geofasync.app.alert.AlertKind;
import dk.geofasync.app.alert.AlertMailer;
import dk.geofasync.app.alert.MailSettings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code geofa-sync mail-test}: one test mail to every alert recipient, to check the mail settings before relying on them. */
@Command(name = "mail-test", mixinStandardHelpOptions = true,
        description = "Send a test mail to every recipient of alerts (--mail-to and --mail-to-KIND), with the settings the service would use.")
public final class MailTestCommand implements Callable<Integer> {

    @Mixin
    MailOptions mail;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MailSettings settings = mail.settings().orElseThrow(() -> new IllegalArgumentException("--mail-host is not set: there is nothing to test"));
        Set<String> everyone = new LinkedHashSet<>();
        for (AlertKind kind : AlertKind.values()) {
            everyone.addAll(settings.recipients(kind));
        }
        MailSettings toAll = new MailSettings(settings.host(), settings.port(), settings.security(), settings.user(), settings.password(),
                settings.from(), List.copyOf(everyone), java.util.Map.of(), settings.timeout());
        new AlertMailer(toAll).send(new Alert(AlertKind.TEST, "geofa-sync: test mail", List.of(
                "This is a test of geofa-sync's alert mails (geofa-sync mail-test).",
                "If you read it, mails reach you: failed runs, dead-letter digests, lag, Kafka retention, GeoFA's login and reconcile reports, "
                        + "each to its recipients.")));
        spec.commandLine().getOut().println("test mail sent through " + settings.host() + ":" + settings.port() + " to " + String.join(", ", everyone));
        return GeofaSync.OK;
    }
}
