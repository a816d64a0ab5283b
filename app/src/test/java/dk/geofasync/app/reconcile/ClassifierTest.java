package dk.geofasync.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.sandbox.vk.SampleVk;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules that tell what a difference is, without databases. */
class ClassifierTest {

    static final Mapping MAPPING = SampleVk.vejleMapping();
    static final ComparedColumns POINTS = new ComparedColumns(MAPPING.table("vk.facilitet_punkt").orElseThrow());
    static final Classifier CLASSIFIER = new Classifier(POINTS);
    static final UUID A = UUID.fromString("00000000-0000-1000-8000-00000000000a");
    static final UUID B = UUID.fromString("00000000-0000-1000-8000-00000000000b");
    static final UUID V1 = UUID.fromString("00000000-0000-1000-8000-000000000001");
    static final UUID V2 = UUID.fromString("00000000-0000-1000-8000-000000000002");

    @Test
    void differingValuesAreChangedInGeofaWhenGeofaHoldsAVersionTheSyncDidNotWrite() {
        List<Finding> edited = CLASSIFIER.classify(sides(vk("1", A, "x"), geofa("1", A, V2, "y"), Map.of("1", known(A, V1))));
        List<Finding> stale = CLASSIFIER.classify(sides(vk("1", A, "x"), geofa("1", A, V1, "y"), Map.of("1", known(A, V1))));

        assertThat(edited).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(DifferenceKind.CHANGED_IN_GEOFA);
            assertThat(f.columns()).isNotEmpty();
            assertThat(f.repair()).isEqualTo(Finding.Repair.SEND_STATE);
        });
        assertThat(stale).singleElement().extracting(Finding::kind).isEqualTo(DifferenceKind.STALE);
    }

    @Test
    void aRowWithEventsOnTheirWayIsNotJudged() {
        Classifier.Sides s = new Classifier.Sides(Map.of("1", vk("1", null, "x")), Map.of(), Map.of(), Set.of(), Map.of(), Set.of("1"));

        assertThat(CLASSIFIER.classify(s)).isEmpty();
    }

    @Test
    void aGoneRowIsDeletedInVkWhenTheSyncKnewItElseAnOrphan() {
        Map<String, List<RowPrint>> objects = Map.of("1", List.of(geofa("1", A, V1, "x")));

        assertThat(CLASSIFIER.classify(new Classifier.Sides(Map.of(), objects, Map.of(), Set.of(), Map.of("1", known(A, V1)), Set.of())))
                .singleElement().satisfies(f -> assertThat(f.repair()).isEqualTo(Finding.Repair.DELETE));
        assertThat(CLASSIFIER.classify(new Classifier.Sides(Map.of(), objects, Map.of(), Set.of(), Map.of(), Set.of())))
                .singleElement().satisfies(f -> assertThat(f.repair()).isEqualTo(Finding.Repair.DELETE_ORPHAN));
    }

    @Test
    void anObjektIdGeofaShowsNeitherCurrentNorClosedIsNeverCreatedAnew() {
        Map<String, RowPrint> row = Map.of("1", vk("1", A, "x"));

        assertThat(CLASSIFIER.classify(new Classifier.Sides(row, Map.of(), Map.of(), Set.of(A), Map.of(), Set.of())))
                .singleElement().satisfies(f -> assertThat(f.repair()).isEqualTo(Finding.Repair.CREATE_AGAIN));
        assertThat(CLASSIFIER.classify(new Classifier.Sides(row, Map.of(), Map.of(), Set.of(), Map.of(), Set.of())))
                .singleElement().satisfies(f -> {
                    assertThat(f.kind()).isEqualTo(DifferenceKind.NOT_VISIBLE);
                    assertThat(f.repair()).isEqualTo(Finding.Repair.NONE);
                });
    }

    @Test
    void oneNoegleOnTwoObjectsIsLeftToAPerson() {
        Classifier.Sides s = new Classifier.Sides(Map.of("1", vk("1", A, "x")), Map.of("1", List.of(geofa("1", A, V1, "x"), geofa("1", B, V1, "x"))),
                Map.of(), Set.of(), Map.of(), Set.of());

        assertThat(CLASSIFIER.classify(s)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(DifferenceKind.LINKED_TWICE);
            assertThat(f.repair()).isEqualTo(Finding.Repair.NONE);
        });
    }

    private static Classifier.Sides sides(RowPrint vk, RowPrint geofa, Map<String, Classifier.Known> known) {
        return new Classifier.Sides(Map.of(vk.key(), vk), Map.of(geofa.key(), List.of(geofa)), Map.of(), Set.of(), known, Set.of());
    }

    private static Classifier.Known known(UUID objekt, UUID version) {
        return new Classifier.Known(Optional.of(objekt), Optional.of(version));
    }

    /** A VK row whose every column holds {@code value}. */
    private static RowPrint vk(String key, UUID objekt, String value) {
        return POINTS.ofVk(key, Optional.ofNullable(objekt).map(UUID::toString), c -> Optional.of(value), Optional.of(value));
    }

    /** GeoFA's object whose every column hashes as VK's {@code value} would. */
    private static RowPrint geofa(String key, UUID objekt, UUID version, String value) {
        RowPrint p = vk(key, objekt, value);
        return new RowPrint(key, Optional.of(objekt.toString()), Optional.of(version), Optional.of("vk.facilitet_punkt:" + key), p.hash(), p.columnHashes());
    }


    @Test
    void aRowIsLinkedOnlyWhenOneObjectFitsItAndNoOtherRowFitsThatObject() {
        LinkMatcher.Candidate near = candidate(A, 100, 100);
        LinkMatcher.Candidate far = candidate(B, 200, 100);
        List<LinkMatcher.Row> rows = List.of(row("1", 101, 100), row("2", 199, 99), row("3", 150, 100));

        LinkMatcher.Result within5 = LinkMatcher.byValues(rows, List.of(near, far), Optional.of(5.0));
        LinkMatcher.Result anywhere = LinkMatcher.byValues(List.of(row("1", 101, 100)), List.of(near, far), Optional.empty());

        assertThat(within5.links()).containsOnlyKeys("1", "2");
        assertThat(within5.links().get("1").objektId()).isEqualTo(A);
        assertThat(within5.ambiguous()).isEmpty();
        assertThat(anywhere.links()).isEmpty();
        assertThat(anywhere.ambiguous()).containsEntry("1", 2);
        assertThat(LinkMatcher.byValues(List.of(row("1", 100, 100), row("2", 102, 100)), List.of(near), Optional.of(5.0)).ambiguous())
                .as("one object fitting two rows").containsOnlyKeys("1", "2");
    }

    private static LinkMatcher.Candidate candidate(UUID id, double x, double y) {
        return new LinkMatcher.Candidate(id, V1, Optional.empty(), List.of("code"), Optional.of(new double[] {x, y}));
    }

    private static LinkMatcher.Row row(String key, double x, double y) {
        return new LinkMatcher.Row(key, Optional.empty(), List.of("code"), Optional.of(new double[] {x, y}));
    }
}
