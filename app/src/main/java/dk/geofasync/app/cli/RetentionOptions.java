package dk.geofasync.app.cli;

import dk.geofasync.app.retention.Retention;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How long the change log, runs and handled events are kept (GDPR), for {@code purge} and {@code run}. */
public final class RetentionOptions {

    @Option(names = {"--days", "--retention-days"}, defaultValue = "${env:GEOFA_SYNC_RETENTION_DAYS:-30}", paramLabel = "N",
            description = "keep change log, runs and handled events this many days (default ${DEFAULT-VALUE}; env GEOFA_SYNC_RETENTION_DAYS)")
    int days;

    @Option(names = {"--keep-runs", "--retention-keep-runs"}, defaultValue = "${env:GEOFA_SYNC_RETENTION_RUNS:-1000}", paramLabel = "N",
            description = "keep at most this many runs (default ${DEFAULT-VALUE}; env GEOFA_SYNC_RETENTION_RUNS)")
    int keepRuns;

    public Retention.Policy policy() {
        return new Retention.Policy(Duration.ofDays(days), keepRuns);
    }
}
