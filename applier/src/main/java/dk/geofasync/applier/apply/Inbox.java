package dk.geofasync.applier.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@code sync.inbox}: every event the applier took, so one delivered twice is applied once. A
 * replayed event (see {@link Replays}) counts as handled only when it was handled after the replay
 * was asked for, so a deliberate replay applies it again.
 */
final class Inbox {


    private final DataSource dataSource;

    Inbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * What the inbox knew of a list of events.
     *
     * @param handled events already handled to the end: not applied again
     * @param retried events taken before but never finished (a crash, GeoFA out of reach): they may
     *                have reached GeoFA, so they are applied as state
     * @param failing events GeoFA failed on, with an error it did not explain, in {@link #ROUNDS_BEFORE_ALONE}
     *                rounds or more: they are sent alone, and dead-lettered if GeoFA fails on them again
     */
    record Received(Set<String> handled, Set<String> retried, Set<String> failing) {
    }

    /** Rounds of unexplained GeoFA errors before an event is sent on its own, as its last try. */
    static final int ROUNDS_BEFORE_ALONE = 3;

    /** Notes the events (another attempt for those seen before) in one statement. */
    Received receive(List<ChangeApplier.Incoming> events) {
        Map<String, ChangeApplier.Incoming> byId = new LinkedHashMap<>();
        events.forEach(i -> byId.putIfAbsent(i.event().eventId(), i));
        Set<String> handled = new HashSet<>();
        Set<String> retried = new HashSet<>();
        Set<String> failing = new HashSet<>();
        if (byId.isEmpty()) {
            return new Received(handled, retried, failing);
        }
        List<ChangeApplier.Incoming> unique = List.copyOf(byId.values());
        String sql = """
                insert into sync.inbox (event_id, source_table, row_key, op, kafka_topic, kafka_partition, kafka_offset, attempts)
                select e, t, k, o, kt, kp, ko, 1 from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::bigint[])
                    as v(e, t, k, o, kt, kp, ko)
                on conflict (event_id) do update set attempts = inbox.attempts + 1,
                    kafka_topic = coalesce(excluded.kafka_topic, inbox.kafka_topic),
                    kafka_partition = coalesce(excluded.kafka_partition, inbox.kafka_partition),
                    kafka_offset = coalesce(excluded.kafka_offset, inbox.kafka_offset)
                returning event_id, state, handled_at, attempts, geofa_errors
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("varchar", unique.stream().map(i -> i.event().eventId()).toArray()));
            ps.setArray(2, c.createArrayOf("varchar", unique.stream().map(i -> i.event().sourceTable()).toArray()));
            ps.setArray(3, c.createArrayOf("varchar", unique.stream().map(i -> i.event().rowKey()).toArray()));
            ps.setArray(4, c.createArrayOf("varchar", unique.stream().map(i -> i.event().op().code()).toArray()));
            ps.setArray(5, c.createArrayOf("varchar", unique.stream().map(i -> i.origin().map(o -> o.topic()).orElse(null)).toArray()));
            ps.setArray(6, c.createArrayOf("int4", unique.stream().map(i -> i.origin().map(o -> o.partition()).orElse(null)).toArray()));
            ps.setArray(7, c.createArrayOf("int8", unique.stream().map(i -> i.origin().map(o -> o.offset()).orElse(null)).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    OffsetDateTime handledAt = rs.getObject(3, OffsetDateTime.class);
                    boolean replayedSince = byId.get(id).replayedSince().map(since -> handledAt == null || handledAt.isBefore(since)).orElse(false);
                    if (InboxState.isFinal(rs.getString(2)) && !replayedSince) {
                        handled.add(id);
                    } else if (rs.getInt(4) > 1) {
                        retried.add(id);
                    }
                    if (rs.getInt(5) >= ROUNDS_BEFORE_ALONE && !handled.contains(id)) {
                        failing.add(id);
                    }
                }
            }
            return new Received(handled, retried, failing);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot note " + unique.size() + " events in sync.inbox: " + e.getMessage(), e);
        }
    }

    /**
     * Takes back the delivery of events GeoFA certainly never applied (it was out of reach, and no
     * answer of the round was lost), so that when they come again they are not taken for events
     * that may have reached GeoFA: they go in batches as deltas, not one by one as state.
     */
    void notApplied(List<String> eventIds) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update sync.inbox set attempts = greatest(attempts - 1, 1) where event_id = any(?) and handled_at is null")) {
            ps.setArray(1, c.createArrayOf("varchar", eventIds.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot note " + eventIds.size() + " events as not applied in sync.inbox: " + e.getMessage(), e);
        }
    }

    /** Counts a round in which GeoFA failed on these events' statement with an error it did not explain. */
    void geofaFailed(List<String> eventIds) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update sync.inbox set geofa_errors = geofa_errors + 1 where event_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("varchar", eventIds.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count GeoFA's failure for " + eventIds.size() + " events in sync.inbox: " + e.getMessage(), e);
        }
    }

    /** The end of one event, written by the {@link Ledger} together with its change-log rows. */
    record Finish(String eventId, InboxState state, String result, String error) {
    }

    /** Writes the events' ends in one statement, under run {@code runId} (none: {@code run_id} null). */
    static void finish(Connection c, List<Finish> finishes, Optional<Long> runId) throws SQLException {
        if (finishes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update sync.inbox i set state = v.s, result = v.r::jsonb, last_error = v.err, handled_at = clock_timestamp(), run_id = ?::bigint
                from unnest(?::varchar[], ?::varchar[], ?::text[], ?::text[]) as v(e, s, r, err) where i.event_id = v.e
                """)) {
            ps.setObject(1, runId.orElse(null), Types.BIGINT);
            ps.setArray(2, c.createArrayOf("varchar", finishes.stream().map(Finish::eventId).toArray()));
            ps.setArray(3, c.createArrayOf("varchar", finishes.stream().map(f -> f.state().code()).toArray()));
            ps.setArray(4, c.createArrayOf("text", finishes.stream().map(Finish::result).toArray()));
            ps.setArray(5, c.createArrayOf("text", finishes.stream().map(Finish::error).toArray()));
            ps.executeUpdate();
        }
    }
}
