package dk.geofasync.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.sandbox.geofa.FakeGeofa;
import dk.geofasync.sandbox.geofa.GeofaVersion;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What "nothing lost, nothing duplicated" means after a crash or fault test: every VK row has its
 * objekt_id, GeoFA holds exactly one current object per VK row with VK's values, no correlation key
 * twice, no VK row ever created twice (closed versions included), and every outbox row handled.
 */
final class GeofaMatchesVk {

    private GeofaMatchesVk() {
    }

    /** @return current objects checked */
    static int assertOneToOne(PostgisDatabase vk, FakeGeofa fake, Mapping mapping) throws Exception {
        int checked = 0;
        for (TableMapping table : mapping.tables()) {
            checked += assertOneToOne(vk, fake, table);
        }
        assertThat(count(vk, "select count(*) from sync.outbox where published_at is null")).as("every change published").isZero();
        assertThat(count(vk, "select count(*) from sync.captured_key")).as("every captured key pumped").isZero();
        assertThat(count(vk, "select count(*) from sync.outbox o where not (" + dk.geofasync.capture.housekeeping.OutboxHousekeeping
                .handledSql("o.id") + ")")).as("every published change handled by the applier: none skipped").isZero();
        return checked;
    }

    private static int assertOneToOne(PostgisDatabase vk, FakeGeofa fake, TableMapping table) throws Exception {
        // the name staff edit: navn where the theme has one, else the table's first text column
        dk.geofasync.core.mapping.ColumnMapping label = table.columnFromGeofa("navn").orElseGet(() -> table.columns().stream()
                .filter(m -> table.theme().column(m.geofaColumn()).map(f -> f.type() == dk.geofasync.core.fkg.FkgType.VARCHAR).orElse(false))
                .findFirst().orElseThrow());
        Map<String, String> names = new HashMap<>();
        List<String> missing = new ArrayList<>();
        try (Connection c = vk.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id::text, objekt_id::text, " + dk.geofasync.core.mapping.SqlIdentifier.quote(label.vkColumn())
                     + " from " + table.table().quoted())) {
            while (rs.next()) {
                if (rs.getString(2) == null) {
                    missing.add(rs.getString(1));
                }
                names.put(rs.getString(2), rs.getString(3));
            }
        }
        assertThat(missing).as(table.table() + ": VK rows without objekt_id").isEmpty();
        List<GeofaVersion> current = fake.current(table.theme().name());
        assertThat(current).as(table.table() + ": one current GeoFA object per VK row").hasSize(names.size());
        assertThat(current.stream().map(v -> v.objektId().toString())).as(table.table() + ": the same objects")
                .containsExactlyInAnyOrderElementsOf(names.keySet());
        List<String> keys = fake.versions(table.theme().name()).stream().filter(GeofaVersion::current)
                .map(v -> v.text("noegle").orElse(v.objektId().toString())).toList();
        assertThat(keys).as(table.table() + ": no correlation key twice").doesNotHaveDuplicates();
        // over GeoFA's whole history, closed versions included: one object per VK row ever, never a second create
        Map<String, java.util.Set<String>> objectsPerKey = new HashMap<>();
        fake.versions(table.theme().name()).forEach(v -> v.text("noegle").ifPresent(k ->
                objectsPerKey.computeIfAbsent(k, x -> new java.util.HashSet<>()).add(v.objektId().toString())));
        assertThat(objectsPerKey.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey))
                .as(table.table() + ": VK rows created more than once in GeoFA").isEmpty();
        for (GeofaVersion v : current) {
            assertThat(v.text(label.geofaColumn()).orElse(null)).as(table.table() + " " + v.objektId() + ": VK's " + label.vkColumn())
                    .isEqualTo(names.get(v.objektId().toString()));
        }
        return current.size();
    }

    /** Every change published and handled by the applier, and every VK row of the mapping linked to its GeoFA object. */
    static boolean caughtUp(PostgisDatabase vk, Mapping mapping) throws Exception {
        if (count(vk, "select count(*) from sync.outbox o where published_at is null or not ("
                + dk.geofasync.capture.housekeeping.OutboxHousekeeping.handledSql("o.id") + ")") > 0
                || count(vk, "select count(*) from sync.captured_key") > 0) {
            return false;
        }
        for (var table : mapping.tables()) {
            if (count(vk, "select count(*) from " + table.table().quoted() + " where objekt_id is null") > 0) {
                return false;
            }
        }
        return true;
    }

    static long count(PostgisDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
