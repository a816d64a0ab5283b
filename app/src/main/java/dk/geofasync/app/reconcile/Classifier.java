package dk.geofasync.app.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Decides what the fingerprints of the rows in differing buckets mean: a pure function over both
 * sides' prints and what the sync knows (its links, the events still on their way), so every rule
 * is tested without a database.
 */
final class Classifier {

    /** What the sync's bookkeeping ({@code sync.object_link}) knows of a row: the object and the version it last wrote. */
    record Known(Optional<UUID> objektId, Optional<UUID> versionsId) {
    }

    /**
     * Everything known about the rows of some buckets.
     *
     * @param vk VK's rows, by key
     * @param geofa GeoFA's current objects carrying the table's noegle, by the key in it
     * @param byObjektId GeoFA's current objects found by the objekt_id a VK row names
     * @param closed objekt_ids GeoFA shows as closed only
     * @param known the sync's links, by key
     * @param inFlight keys with events not yet applied (or captured during the reconcile): not judged now
     */
    record Sides(Map<String, RowPrint> vk, Map<String, List<RowPrint>> geofa, Map<UUID, RowPrint> byObjektId, Set<UUID> closed,
                 Map<String, Known> known, Set<String> inFlight) {
    }

    private final ComparedColumns compared;

    Classifier(ComparedColumns compared) {
        this.compared = compared;
    }

    List<Finding> classify(Sides s) {
        Set<String> keys = new TreeSet<>(s.vk().keySet());
        keys.addAll(s.geofa().keySet());
        keys.removeAll(s.inFlight());
        List<Finding> findings = new ArrayList<>();
        for (String key : keys) {
            classify(key, s, findings);
        }
        return findings;
    }

    private void classify(String key, Sides s, List<Finding> findings) {
        RowPrint row = s.vk().get(key);
        List<RowPrint> objects = s.geofa().getOrDefault(key, List.of());
        if (row == null) {
            boolean known = s.known().containsKey(key);
            for (RowPrint o : objects) {
                findings.add(new Finding(known ? DifferenceKind.DELETED_IN_VK : DifferenceKind.ORPHAN, key, o.objekt(), List.of(),
                        known ? Finding.Repair.DELETE : Finding.Repair.DELETE_ORPHAN));
            }
            return;
        }
        Optional<UUID> named = row.objekt();
        if (objects.size() > 1) {
            findings.add(new Finding(DifferenceKind.LINKED_TWICE, key, named, List.of(), Finding.Repair.NONE));
            Optional<RowPrint> same = objects.stream().filter(o -> named.isPresent() && o.objekt().equals(named)).findFirst();
            same.ifPresent(o -> compare(key, row, o, s, findings, true));
            return;
        }
        Optional<RowPrint> object = objects.stream().findFirst();
        if (named.isEmpty()) {
            // the sync's link may know the object the row lost (a VK restore): its state in GeoFA decides
            Optional<UUID> linked = Optional.ofNullable(s.known().get(key)).flatMap(Known::objektId);
            if (object.isPresent()) {
                findings.add(new Finding(DifferenceKind.NOT_WRITTEN_BACK, key, object.get().objekt(), object.get().versionsId(), List.of(),
                        Finding.Repair.WRITE_BACK_ID));
            } else if (linked.isPresent() && s.byObjektId().containsKey(linked.get())) {
                findings.add(new Finding(DifferenceKind.NOT_WRITTEN_BACK, key, linked, s.byObjektId().get(linked.get()).versionsId(), List.of(),
                        Finding.Repair.WRITE_BACK_ID));
            } else if (linked.isPresent() && !s.closed().contains(linked.get())) {
                findings.add(new Finding(DifferenceKind.NOT_VISIBLE, key, linked, List.of(), Finding.Repair.NONE));
            } else {
                // never sent, or its object closed in GeoFA: the link (if any) goes, and the row is created
                findings.add(new Finding(DifferenceKind.MISSING, key, linked, List.of(),
                        linked.isPresent() ? Finding.Repair.CREATE_AGAIN : Finding.Repair.SEND_STATE));
            }
            return;
        }
        if (object.isPresent()) {
            if (object.get().objekt().equals(named)) {
                compare(key, row, object.get(), s, findings, true);
            } else {
                findings.add(new Finding(DifferenceKind.LINKED_TWICE, key, named, List.of(), Finding.Repair.NONE));
            }
            return;
        }
        RowPrint current = s.byObjektId().get(named.get());
        if (current != null) {
            // an object with another key in noegle is someone else's to decide; one with none gets the row's
            boolean keyless = current.noegle().isEmpty();
            findings.add(new Finding(DifferenceKind.NO_NOEGLE, key, named, current.versionsId(), List.of(),
                    keyless ? Finding.Repair.WRITE_NOEGLE : Finding.Repair.NONE));
            compare(key, row, current, s, findings, keyless);
        } else if (s.closed().contains(named.get())) {
            findings.add(new Finding(DifferenceKind.MISSING, key, named, List.of(), Finding.Repair.CREATE_AGAIN));
        } else {
            findings.add(new Finding(DifferenceKind.NOT_VISIBLE, key, named, List.of(), Finding.Repair.NONE));
        }
    }

    /**
     * A row and its object: changed in GeoFA when GeoFA's version is not the one the sync last wrote,
     * else stale; repaired by sending the row's state unless the object is someone else's ({@code ours} false).
     */
    private void compare(String key, RowPrint row, RowPrint object, Sides s, List<Finding> findings, boolean ours) {
        if (row.hash() == object.hash()) {
            return;
        }
        List<String> columns = compared.differing(row, object);
        if (columns.isEmpty()) {
            return;
        }
        Optional<UUID> wrote = Optional.ofNullable(s.known().get(key)).flatMap(Known::versionsId);
        boolean behindOurBack = wrote.isPresent() && object.versionsId().isPresent() && !wrote.equals(object.versionsId());
        findings.add(new Finding(behindOurBack ? DifferenceKind.CHANGED_IN_GEOFA : DifferenceKind.STALE, key, object.objekt(), object.versionsId(),
                columns, ours ? Finding.Repair.SEND_STATE : Finding.Repair.NONE));
    }
}
