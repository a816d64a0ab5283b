package dk.geofasync.applier.apply;

import static dk.geofasync.db.jooq.Tables.OBJECT_LINK;

import dk.geofasync.db.SyncSchema;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * {@code sync.object_link}: which GeoFA object each VK row is, and the create intent. Each write
 * commits on its own, so an intent is durable before the create it announces is sent. Links of a
 * batch of events can be read in one query ({@link #preload}); they are then served from memory,
 * kept up to date by this object's own writes, until {@link #forget}.
 */
final class ObjectLinks {

    /** A VK row's link; {@code createSentAt}: when its last create was sent (for a pending create). */
    record Link(LinkState state, Optional<UUID> objektId, Optional<UUID> versionsId, Optional<OffsetDateTime> createSentAt) {
        Link(LinkState state, Optional<UUID> objektId, Optional<UUID> versionsId) {
            this(state, objektId, versionsId, Optional.empty());
        }

        boolean createPending() {
            return state == LinkState.CREATE_PENDING;
        }

        boolean linked() {
            return state == LinkState.LINKED;
        }

        boolean deleted() {
            return state == LinkState.DELETED;
        }
    }

    /** A link to write: VK row {@code key} is GeoFA object {@code objektId}. */
    record NewLink(String key, String correlationKey, UUID objektId, UUID versionsId) {
    }

    private final DataSource dataSource;
    private final DSLContext dsl;
    private final Map<String, Optional<Link>> known = new HashMap<>();

    ObjectLinks(DataSource dataSource) {
        this.dataSource = dataSource;
        this.dsl = SyncSchema.dsl(dataSource);
    }

    Optional<Link> find(String table, String key) {
        Optional<Link> cached = known.get(id(table, key));
        if (cached != null) {
            return cached;
        }
        return dsl.selectFrom(OBJECT_LINK).where(OBJECT_LINK.SOURCE_TABLE.eq(table), OBJECT_LINK.ROW_KEY.eq(key))
                .fetchOptional().map(ObjectLinks::link);
    }

    /** Reads the links of {@code keys} in one query; {@link #find} then answers from memory. */
    void preload(String table, Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        keys.forEach(k -> known.put(id(table, k), Optional.empty()));
        dsl.selectFrom(OBJECT_LINK).where(OBJECT_LINK.SOURCE_TABLE.eq(table), OBJECT_LINK.ROW_KEY.in(keys)).fetch()
                .forEach(r -> known.put(id(table, r.getRowKey()), Optional.of(link(r))));
    }

    private static Link link(dk.geofasync.db.jooq.tables.records.ObjectLinkRecord r) {
        return new Link(LinkState.of(r.getState()), Optional.ofNullable(r.getObjektId()), Optional.ofNullable(r.getVersionsId()), Optional.ofNullable(r.getCreateSentAt()));
    }

    /** Drops what {@link #preload} and the writes remembered (another process may change links between batches). */
    void forget() {
        known.clear();
    }

    /** Records, before they are sent, that creates of these rows are about to go to GeoFA: key -> correlation key. */
    void intendCreates(String table, String theme, Map<String, String> correlationKeys) {
        write("""
                insert into sync.object_link (source_table, row_key, theme, correlation_key, state, create_sent_at)
                select ?, k, ?, c, 'create_pending', now() from unnest(?::varchar[], ?::varchar[]) as v(k, c)
                on conflict (source_table, row_key) do update set state = 'create_pending', create_sent_at = now()
                """, table, theme, List.copyOf(correlationKeys.keySet()), List.copyOf(correlationKeys.values()));
        // this JVM's clock stands in for the database's now() (create_sent_at is for people: nothing waits on it)
        Optional<OffsetDateTime> sent = Optional.of(OffsetDateTime.now());
        correlationKeys.keySet().forEach(k -> known.put(id(table, k), Optional.of(new Link(LinkState.CREATE_PENDING, Optional.empty(), Optional.empty(), sent))));
    }

    /**
     * Takes back the intents of creates GeoFA certainly did not apply (it refused them, or never took
     * them): nothing waits for their outcome. Links in another state are left as they are.
     */
    void withdrawIntents(String table, Collection<String> keys) {
        dsl.deleteFrom(OBJECT_LINK).where(OBJECT_LINK.SOURCE_TABLE.eq(table), OBJECT_LINK.ROW_KEY.in(keys), OBJECT_LINK.STATE.eq("create_pending"))
                .execute();
        keys.forEach(k -> known.put(id(table, k), Optional.empty()));
    }

    void linked(String table, String theme, Collection<NewLink> links) {
        if (links.isEmpty()) {
            return;
        }
        write("""
                insert into sync.object_link (source_table, row_key, theme, correlation_key, state, objekt_id, versions_id, last_synced_at)
                select ?, k, ?, c, 'linked', o, v, now() from unnest(?::varchar[], ?::varchar[], ?::uuid[], ?::uuid[]) as n(k, c, o, v)
                on conflict (source_table, row_key) do update
                set state = 'linked', objekt_id = excluded.objekt_id, versions_id = excluded.versions_id, last_synced_at = now()
                """, table, theme, links.stream().map(NewLink::key).toList(), links.stream().map(NewLink::correlationKey).toList(),
                links.stream().map(l -> l.objektId().toString()).toList(),
                links.stream().map(l -> l.versionsId() == null ? null : l.versionsId().toString()).toList());
        links.forEach(l -> known.put(id(table, l.key()),
                Optional.of(new Link(LinkState.LINKED, Optional.of(l.objektId()), Optional.ofNullable(l.versionsId())))));
    }

    /** Notes the objects' new versions (key -> versions_id), in one statement. */
    void versioned(String table, Map<String, UUID> versions) {
        if (versions.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update sync.object_link l set versions_id = v.version, last_synced_at = now()
                from unnest(?::varchar[], ?::uuid[]) as v(k, version) where l.source_table = ? and l.row_key = v.k
                """)) {
            ps.setArray(1, c.createArrayOf("varchar", versions.keySet().toArray()));
            ps.setArray(2, c.createArrayOf("varchar", versions.values().stream().map(UUID::toString).toArray()));
            ps.setString(3, table);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot note the new versions of " + versions.size() + " objects of " + table + ": " + e.getMessage(), e);
        }
        versions.forEach((key, version) -> {
            Optional<Link> cached = known.get(id(table, key));
            if (cached != null && cached.isPresent()) {
                Link l = cached.get();
                known.put(id(table, key), Optional.of(new Link(l.state(), l.objektId(), Optional.of(version), l.createSentAt())));
            }
        });
    }

    void deleted(String table, String key) {
        dsl.update(OBJECT_LINK).set(OBJECT_LINK.STATE, "deleted").set(OBJECT_LINK.LAST_SYNCED_AT, OffsetDateTime.now())
                .where(OBJECT_LINK.SOURCE_TABLE.eq(table), OBJECT_LINK.ROW_KEY.eq(key)).execute();
        known.remove(id(table, key));
    }

    private void write(String sql, String table, String theme, List<?>... columns) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            ps.setString(2, theme);
            for (int i = 0; i < columns.length; i++) {
                Array array = c.createArrayOf("varchar", columns[i].toArray());
                ps.setArray(3 + i, array);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the object links of " + table + ": " + e.getMessage(), e);
        }
    }

    private static String id(String table, String key) {
        return table + '\u0000' + key;
    }
}
