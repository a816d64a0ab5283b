package dk.geofasync.app.cli;

import dk.geofasync.app.GeofaSync;
import dk.geofasync.capture.backfill.OutboxReplay;
import dk.geofasync.transport.relay.RelayConfig;
import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.transport.replay.ConsumerGroupReplay;
import dk.geofasync.transport.replay.ReplayLog;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geofa-sync replay}: moves a stopped consumer group so the applier re-reads from an offset or a
 * time; or, with {@code --from-outbox}, sends again from VK what Kafka dropped before the applier read it.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Move a consumer group's position on the changes topic, so the applier re-reads from there.",
            "The group must be stopped (stop the applier first). The replay is recorded in sync.replay: the applier then",
            "applies the re-read events again as state (compared with GeoFA, only differing columns are sent, never a",
            "second create), so GeoFA converges to VK.",
            "--from-outbox instead sends again what was published over an hour ago but never handled (Kafka keeps events",
            "7 days): each such object's current state is enqueued, and the lost events are closed as replaced."})
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--group", description = "the consumer group, e.g. geofa-sync-applier (needed for --from-offset and --from-time)")
    String group;

    @Option(names = "--topic", defaultValue = RelayConfig.DEFAULT_TOPIC, description = "the topic (default: ${DEFAULT-VALUE})")
    String topic;

    @ArgGroup(multiplicity = "1")
    From from;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    DatabaseOptions database;

    @Mixin
    MappingOption mapping;

    @Spec
    CommandSpec spec;

    static final class From {
        @ArgGroup(exclusive = false)
        Offset offset;

        @Option(names = "--from-time", paramLabel = "TIME", description = "ISO time, e.g. 2026-11-22T08:00:00Z")
        String time;

        @Option(names = "--from-outbox", description = "send again, from VK, the events the applier never handled")
        boolean outbox;
    }

    static final class Offset {
        @Option(names = "--from-offset", required = true, paramLabel = "N", description = "the offset to re-read from")
        long offset;

        @Option(names = "--partition", paramLabel = "P", description = "only this partition (default: every partition)")
        Integer partition;
    }

    @Override
    public Integer call() {
        if (from.outbox) {
            return fromOutbox();
        }
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("--group is needed to move a consumer group (e.g. --group geofa-sync-applier)");
        }
        ConsumerGroupReplay.Target target;
        if (from.time != null) {
            try {
                target = new ConsumerGroupReplay.FromTime(Instant.parse(from.time));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--from-time must be an ISO time like 2026-11-22T08:00:00Z, got " + from.time);
            }
        } else {
            target = new ConsumerGroupReplay.FromOffset(from.offset.offset,
                    from.offset.partition == null ? OptionalInt.empty() : OptionalInt.of(from.offset.partition));
        }
        try (Admin admin = kafka.admin(Duration.ofSeconds(30)); HikariDataSource vk = database.open("replay", 1)) {
            // recorded before the move: the applier then applies the re-read events again, as state
            Map<TopicPartition, Long> moved = new ConsumerGroupReplay(admin).move(group, topic, target, new ReplayLog(vk)::record);
            PrintWriter out = spec.commandLine().getOut();
            out.println("consumer group " + group + " moved on " + topic + ":");
            moved.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparingInt(TopicPartition::partition)))
                    .forEach(e -> out.printf("  partition %d -> offset %d%n", e.getKey().partition(), e.getValue()));
            return GeofaSync.OK;
        }
    }

    private int fromOutbox() {
        var loaded = mapping.load();
        try (HikariDataSource vk = database.open("replay", 2)) {
            OutboxReplay.Replayed replayed = new OutboxReplay(vk).replayUnhandled(loaded, Duration.ofHours(1));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%d object(s) enqueued again as their current state, replacing %d event(s) the applier never handled%n",
                    replayed.objects(), replayed.events());
            replayed.unmapped().forEach(o -> out.println("  not in the mapping, left as it is: " + o));
            return replayed.unmapped().isEmpty() ? GeofaSync.OK : GeofaSync.PROBLEMS;
        }
    }
}
