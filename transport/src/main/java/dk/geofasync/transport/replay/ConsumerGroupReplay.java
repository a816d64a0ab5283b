package dk.geofasync.transport.replay;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * {@code geofa-sync replay}: moves a consumer group's position on a topic back (or forward) to an
 * offset or a point in time, so the applier re-reads from there. The group must be stopped: Kafka
 * ignores new positions of a group with running members, so a running group is refused.
 */
public final class ConsumerGroupReplay {

    private final Admin admin;

    public ConsumerGroupReplay(Admin admin) {
        this.admin = admin;
    }

    /** Where to move: an offset (on one partition or all), or a time. */
    public sealed interface Target permits FromOffset, FromTime {
    }

    /** Offset {@code offset} on {@code partition}, or on every partition when empty. */
    public record FromOffset(long offset, OptionalInt partition) implements Target {
    }

    /** The first event at or after {@code time} on every partition (the end where none is that late). */
    public record FromTime(Instant time) implements Target {
    }

    /** A move about to be made: per partition, the new position and the partition's end (where new events start). */
    public record Move(String group, String topic, Map<TopicPartition, Long> positions, Map<TopicPartition, Long> ends) {
    }

    /** Moves the group; returns the new position per partition. */
    public Map<TopicPartition, Long> move(String group, String topic, Target target) {
        return move(group, topic, target, m -> { });
    }

    /**
     * Moves the group; {@code beforeMoving} sees the move first (and may refuse it by throwing),
     * e.g. to record it where the applier looks. Returns the new position per partition.
     */
    public Map<TopicPartition, Long> move(String group, String topic, Target target, java.util.function.Consumer<Move> beforeMoving) {
        try {
            requireStopped(group);
            List<TopicPartition> partitions = partitions(topic, target);
            Map<TopicPartition, Long> positions = target instanceof FromOffset o
                    ? partitions.stream().collect(Collectors.toMap(p -> p, p -> o.offset()))
                    : byTime(partitions, ((FromTime) target).time());
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get()
                    .forEach((p, info) -> ends.put(p, info.offset()));
            beforeMoving.accept(new Move(group, topic, positions, ends));
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            positions.forEach((p, o) -> offsets.put(p, new OffsetAndMetadata(o, "geofa-sync replay")));
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
            return positions;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot move consumer group " + group + " on " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void requireStopped(String group) throws ExecutionException, InterruptedException {
        ConsumerGroupDescription d;
        try {
            d = admin.describeConsumerGroups(Set.of(group)).all().get().get(group);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return; // a group that never ran: giving it a position is fine
            }
            throw e;
        }
        GroupState state = d.groupState();
        if (!d.members().isEmpty() || !(state == GroupState.EMPTY || state == GroupState.DEAD)) {
            throw new IllegalStateException("consumer group " + group + " is running (" + d.members().size() + " member(s), state "
                    + state + "): stop the applier (geofa-sync run) first, then replay");
        }
    }

    private List<TopicPartition> partitions(String topic, Target target) throws ExecutionException, InterruptedException {
        int count = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
        OptionalInt only = target instanceof FromOffset o ? o.partition() : OptionalInt.empty();
        if (only.isPresent()) {
            if (only.getAsInt() < 0 || only.getAsInt() >= count) {
                throw new IllegalArgumentException("topic " + topic + " has partitions 0-" + (count - 1) + ", not " + only.getAsInt());
            }
            return List.of(new TopicPartition(topic, only.getAsInt()));
        }
        return java.util.stream.IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    private Map<TopicPartition, Long> byTime(List<TopicPartition> partitions, Instant time) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> at = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.forTimestamp(time.toEpochMilli())));
        Map<TopicPartition, OffsetSpec> end = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = admin.listOffsets(at).all().get();
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(end).all().get();
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition p : partitions) {
            long offset = Optional.ofNullable(found.get(p)).map(ListOffsetsResult.ListOffsetsResultInfo::offset).filter(o -> o >= 0)
                    .orElse(ends.get(p).offset());
            positions.put(p, offset);
        }
        return positions;
    }
}
