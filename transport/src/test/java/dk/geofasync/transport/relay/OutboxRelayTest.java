package dk.geofasync.transport.relay;

import dk.geofasync.transport.kafka.KafkaConnection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.core.event.ChangeEvent;
import dk.geofasync.core.event.ChangeEventJson;
import dk.geofasync.sandbox.junit.Await;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import dk.geofasync.sandbox.junit.SharedKafka;
import dk.geofasync.transport.TransportWorld;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OutboxRelayTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();
    @RegisterExtension
    static final SharedKafka kafka = new SharedKafka();

    static TransportWorld world;
    static Producer<String, byte[]> producer;
    String topic;
    RelayConfig config;

    @BeforeAll
    static void setUp() {
        world = new TransportWorld(db, kafka);
        world.migrate();
        producer = KafkaConnection.plain(kafka.bootstrapServers()).producer("geofa-sync-relay", Map.of());
    }

    @AfterAll
    static void tearDown() {
        producer.close();
    }

    @BeforeEach
    void freshTopicAndOutbox() throws Exception {
        db.execute("truncate sync.outbox; delete from sync.relay_progress; delete from sync.dead_letter");
        topic = world.newTopic(3);
        config = new RelayConfig("main", topic, 20, Duration.ofMillis(200), Map.of("vk.facilitet_punkt", "geom"));
    }

    private List<ChangeEvent> events(int expected) {
        return world.readAll(topic, expected, Duration.ofSeconds(20)).stream()
                .map(r -> ChangeEventJson.read(r.value())).toList();
    }

    @Test
    void relayPublishesEachCommittedRowOnceKeyedByObjectAndMarksIt() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(world.capture("vk.facilitet_punkt", Integer.toString(i % 5), "U", Map.of("navn", "v" + i)));
        }

        try (OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, config)) {
            assertThat(relay.drain()).isEqualTo(50);
            assertThat(relay.drain()).isZero();
        }

        List<ConsumerRecord<String, byte[]>> records = world.readAll(topic, 50, Duration.ofSeconds(20));
        assertThat(records).hasSize(50);
        for (int k = 0; k < 5; k++) {
            String key = "vk.facilitet_punkt:" + k;
            List<ConsumerRecord<String, byte[]>> ofKey = records.stream().filter(r -> r.key().equals(key)).toList();
            assertThat(ofKey.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
            assertThat(ofKey.stream().map(r -> ChangeEventJson.read(r.value()).outboxId()).toList()).isSorted().hasSize(10);
        }
        assertThat(world.count("select count(*) from sync.outbox where published_at is null")).isZero();
        assertThat(world.count("select events_published from sync.relay_progress where relay_name = 'main'")).isEqualTo(50);
        assertThat(world.count("select last_outbox_id from sync.relay_progress")).isEqualTo(ids.get(49));
    }

    @Test
    void sensitiveValuesStayInVkOnlyTheirColumnNamesTravel() throws Exception {
        RelayConfig withholding = new RelayConfig("main", topic, 20, Duration.ofMillis(200), Map.of("vk.facilitet_punkt", "geom"),
                RelayConfig.DEFAULT_MAX_EVENT_BYTES, Map.of("vk.facilitet_punkt", java.util.Set.of("kontak_ved")));
        Map<String, String> before = new java.util.HashMap<>(Map.of("navn", "Shelter", "kontak_ved", "Jens Hansen, tlf. 20304050"));
        world.capture("vk.facilitet_punkt", "1", "I", before);
        Map<String, String> nullContact = new java.util.HashMap<>();
        nullContact.put("navn", "Bålhytte");
        nullContact.put("kontak_ved", null);
        world.capture("vk.facilitet_punkt", "2", "I", nullContact);

        try (OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, withholding)) {
            assertThat(relay.drain()).isEqualTo(2);
        }

        List<ConsumerRecord<String, byte[]>> records = world.readAll(topic, 2, Duration.ofSeconds(20));
        assertThat(records).allSatisfy(r -> assertThat(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("Jens").doesNotContain("20304050"));
        ChangeEvent withName = records.stream().map(r -> ChangeEventJson.read(r.value())).filter(e -> e.rowKey().equals("1")).findFirst().orElseThrow();
        assertThat(withName.withheld()).containsExactly("kontak_ved");
        assertThat(withName.newValues().has("kontak_ved")).isTrue();
        assertThat(withName.newValues().value("kontak_ved")).isEmpty();
        assertThat(withName.newValues().value("navn")).contains("Shelter");
        ChangeEvent withoutName = records.stream().map(r -> ChangeEventJson.read(r.value())).filter(e -> e.rowKey().equals("2")).findFirst().orElseThrow();
        assertThat(withoutName.withheld()).as("nothing to withhold in a null").isEmpty();
    }

    @Test
    void relayDoesNotSkipLateCommittingTransaction() throws Exception {
        try (Connection late = db.connect(); OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, config)) {
            late.setAutoCommit(false);
            long early = world.capture(late, "vk.facilitet_punkt", "1", "I", Map.of("navn", "late transaction"));
            long second = world.capture("vk.facilitet_punkt", "2", "I", Map.of("navn", "b"));
            long third = world.capture("vk.facilitet_punkt", "3", "I", Map.of("navn", "c"));
            assertThat(early).isLessThan(second);

            assertThat(relay.drain()).as("the late transaction's row is not visible yet").isEqualTo(2);
            late.commit();
            assertThat(relay.drain()).as("and is published once it committed").isEqualTo(1);

            assertThat(events(3)).extracting(ChangeEvent::outboxId).containsExactlyInAnyOrder(early, second, third);
        }
    }

    @Test
    void crashBetweenPublishAndProgressPublishesTheBatchAgain() throws Exception {
        for (int i = 0; i < 30; i++) {
            world.capture("vk.facilitet_punkt", Integer.toString(i), "U", Map.of("navn", "v" + i));
        }
        try (OutboxRelay crashing = new OutboxRelay(db.dataSource(), producer, config)) {
            crashing.onAcknowledged(batch -> {
                throw new SQLException("killed after Kafka acknowledged, before the progress commit");
            });
            assertThatThrownBy(crashing::drain).hasMessageContaining("killed after Kafka acknowledged");
        }
        assertThat(world.count("select count(*) from sync.outbox where published_at is null")).isEqualTo(30);

        try (OutboxRelay restarted = new OutboxRelay(db.dataSource(), producer, config)) {
            assertThat(restarted.drain()).isEqualTo(30);
        }

        List<ChangeEvent> events = events(50);
        assertThat(events).hasSize(50); // the first batch of 20 twice: at least once
        assertThat(events.stream().map(ChangeEvent::eventId).collect(Collectors.toSet())).hasSize(30);
        assertThat(world.count("select count(*) from sync.outbox where published_at is null")).isZero();
    }

    @Test
    void twoRelaysOfOneNamePublishEachRowOnce() throws Exception {
        try (OutboxRelay a = new OutboxRelay(db.dataSource(), producer, config);
             OutboxRelay b = new OutboxRelay(db.dataSource(), producer, config)) {
            a.start();
            b.start();
            for (int i = 0; i < 300; i++) {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    world.capture(c, "vk.facilitet_punkt", Integer.toString(i % 17), "U", Map.of("navn", "v" + i));
                    s.execute("notify geofa_sync_outbox");
                    c.commit();
                }
            }
            Await.holdsWithin(Duration.ofSeconds(20), () -> world.count("select count(*) from sync.outbox where published_at is null") == 0);
            assertThat(a.stats().events() + b.stats().events()).isEqualTo(300);
            assertThat(Math.min(a.stats().events(), b.stats().events())).as("one of them stood by").isZero();
        }
        List<ChangeEvent> events = events(300);
        assertThat(events).hasSize(300);
        assertThat(events.stream().map(ChangeEvent::eventId).collect(Collectors.toSet())).hasSize(300);
    }

    @Test
    void notifyWakesTheRelayLongBeforeItsPollInterval() throws Exception {
        RelayConfig slowPoll = new RelayConfig("main", topic, 20, Duration.ofSeconds(30), Map.of());
        try (OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, slowPoll)) {
            relay.start();
            Await.holdsWithin(Duration.ofSeconds(10), () -> world.count("select count(*) from sync.relay_progress") > 0);
            assertThat(world.count("select count(*) from sync.relay_progress")).as("the relay took its lease").isEqualTo(1);
            Instant committed;
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                world.capture(c, "vk.facilitet_punkt", "1", "U", Map.of("navn", "wake up"));
                s.execute("notify geofa_sync_outbox");
                c.commit();
                committed = Instant.now();
            }
            assertThat(events(1)).hasSize(1);
            Duration took = Duration.between(committed, relay.stats().lastPublished().orElseThrow());
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void geometryTravelsAsGeoJsonInEpsg25832() throws Exception {
        String hexPoint;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("select st_setsrid(st_makepoint(552000.5, 6174000.25), 25832)::text")) {
            rs.next();
            hexPoint = rs.getString(1);
        }
        world.capture("vk.facilitet_punkt", "9", "I", Map.of("geom", hexPoint, "navn", "Shelter"));

        try (OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, config)) {
            relay.drain();
        }

        ChangeEvent event = events(1).get(0);
        assertThat(event.newValues().value("geom").orElseThrow())
                .contains("\"type\":\"Point\"", "EPSG:25832", "[552000.5,6174000.25]");
        assertThat(event.newValues().value("navn")).contains("Shelter");
        assertThat(event.eventId()).endsWith(":" + event.outboxId());
        assertThat(Set.of(event.op().code())).containsExactly("I");
    }

    @Test
    void rowWhoseGeometryCannotBeConvertedGoesToDeadLettersAndTheOthersArePublished() throws Exception {
        String good = hex("st_setsrid(st_makepoint(552000, 6174000), 25832)");
        world.capture("vk.facilitet_punkt", "1", "I", Map.of("geom", good, "navn", "before"));
        long noSrid = world.capture("vk.facilitet_punkt", "2", "I", Map.of("geom", hex("st_makepoint(552000, 6174000)"), "navn", "no SRID"));
        world.capture("vk.facilitet_punkt", "3", "I", Map.of("geom", good, "navn", "after"));
        world.capture("vk.rute_linje", "4", "I", Map.of("navn", "another table"));

        try (OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, config)) {
            assertThat(relay.drain()).as("every row handled, none left for ever").isEqualTo(4);
            assertThat(relay.drain()).isZero();
        }

        assertThat(events(3)).extracting(e -> e.newValues().value("navn").orElseThrow()).containsExactlyInAnyOrder("before", "after", "another table");
        assertThat(world.count("select count(*) from sync.outbox where published_at is null")).isZero();
        assertThat(text("select row_key || ' ' || column_name || ' ' || reason from sync.dead_letter where event_id like '%:"
                + noSrid + "'")).startsWith("2 geom the geometry in column geom cannot be made into a change event").contains("SRID");
    }

    @Test
    void batchOfOnlyRowsWithoutSridIsRefusedWhileGoodGeometriesStillConvert() throws Exception {
        String noSrid = hex("st_makepoint(552000, 6174000)");
        world.capture("vk.facilitet_punkt", "1", "I", Map.of("geom", noSrid, "navn", "a"));
        world.capture("vk.facilitet_punkt", "2", "I", Map.of("geom", noSrid, "navn", "b"));

        try (OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, config)) {
            assertThat(relay.drain()).as("a table loaded without SRIDs does not stop the relay").isEqualTo(2);
        }
        assertThat(world.count("select count(*) from sync.dead_letter where row_key in ('1', '2')")).isEqualTo(2);
    }

    @Test
    void relayThatKeepsFailingSaysSoUntilItPublishesAgain() throws Exception {
        world.capture("vk.facilitet_punkt", "1", "I", Map.of("navn", "waits"));
        db.execute("alter table sync.outbox rename to outbox_away");
        try (OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, config)) {
            relay.start();
            Await.holdsWithin(Duration.ofSeconds(10), () -> relay.problem().isPresent());
            assertThat(relay.problem().orElseThrow()).startsWith("relay stopped since").contains("outbox");

            db.execute("alter table sync.outbox_away rename to outbox");
            Await.holdsWithin(Duration.ofSeconds(40), () -> relay.problem().isEmpty());
        } finally {
            db.execute("do $$ begin if to_regclass('sync.outbox_away') is not null then alter table sync.outbox_away rename to outbox; end if; end $$");
        }
        assertThat(events(1)).extracting(e -> e.newValues().value("navn").orElseThrow()).containsExactly("waits");
    }

    @Test
    void eventTooLargeForKafkaGoesToDeadLettersNamingTheColumn() throws Exception {
        world.capture("vk.facilitet_punkt", "1", "U", Map.of("navn", "small"));
        world.capture("vk.facilitet_punkt", "2", "U", Map.of("navn", "small", "lang_beskr", "x".repeat(2_000_000)));
        world.capture("vk.facilitet_punkt", "3", "U", Map.of("navn", "small too"));

        try (OutboxRelay relay = new OutboxRelay(db.dataSource(), producer, config)) {
            assertThat(relay.drain()).isEqualTo(3);
        }

        assertThat(events(2)).extracting(ChangeEvent::rowKey).containsExactlyInAnyOrder("1", "3");
        assertThat(text("select column_name || ': ' || reason from sync.dead_letter where row_key = '2'"))
                .startsWith("lang_beskr: the change is ").contains("Kafka takes at most 1000000").contains("2000000 characters");
        assertThat(text("select payload::text from sync.dead_letter where row_key = '2'")).doesNotContain("xxx");
    }

    private static String text(String sql) {
        return String.valueOf(dk.geofasync.db.SyncSchema.dsl(db.dataSource()).fetchValue(sql));
    }

    private static String hex(String geometrySql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("select (" + geometrySql + ")::text")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
