package dk.geofasync.app.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Matches VK rows without objekt_id to GeoFA objects no VK row names yet, by the mapping's
 * {@code match} rule: a pure function. A row is linked only when exactly one object fits it and no
 * other row fits that object; everything else that fits more than once is ambiguous, for a person.
 */
final class LinkMatcher {

    /** A VK row to adopt an object for: the objekt_id text its match column holds, its match columns' hashes, its centroid. */
    record Row(String key, Optional<String> objektIdText, List<String> hashes, Optional<double[]> centroid) {
    }

    /** A GeoFA object no VK row names: its version, its noegle (empty: none), its match columns' hashes, its centroid. */
    record Candidate(UUID objektId, UUID versionsId, Optional<String> noegle, List<String> hashes, Optional<double[]> centroid) {
    }

    /** What matching found: the links to make, and the rows with more than one fit. */
    record Result(Map<String, Candidate> links, Map<String, Integer> ambiguous) {
    }

    private LinkMatcher() {
    }

    /** By a VK column holding the objekt_id: a row whose text names a candidate is linked to it; two rows naming one object are ambiguous. */
    static Result byObjektId(List<Row> rows, List<Candidate> candidates) {
        Map<UUID, Candidate> byId = new HashMap<>();
        candidates.forEach(c -> byId.put(c.objektId(), c));
        Map<String, List<Candidate>> fits = new HashMap<>();
        for (Row r : rows) {
            r.objektIdText().flatMap(RowPrint::uuid).map(byId::get).ifPresent(c -> fits.put(r.key(), List.of(c)));
        }
        return resolve(fits);
    }

    /** By equal match columns and, with {@code withinMetres}, centroids at most that far apart. */
    static Result byValues(List<Row> rows, List<Candidate> candidates, Optional<Double> withinMetres) {
        double cell = withinMetres.orElse(0.0);
        Map<String, List<Candidate>> index = new HashMap<>();
        for (Candidate c : candidates) {
            if (cell > 0 && c.centroid().isEmpty()) {
                continue;
            }
            index.computeIfAbsent(String.join("|", c.hashes()) + cellOf(c.centroid(), cell, 0, 0), k -> new ArrayList<>()).add(c);
        }
        Map<String, List<Candidate>> fits = new HashMap<>();
        for (Row r : rows) {
            if (cell > 0 && r.centroid().isEmpty()) {
                continue;
            }
            List<Candidate> near = new ArrayList<>();
            String values = String.join("|", r.hashes());
            // a grid of cells as wide as the distance: a fit lies in the row's cell or one of its eight neighbours
            for (int dx = cell > 0 ? -1 : 0; dx <= (cell > 0 ? 1 : 0); dx++) {
                for (int dy = cell > 0 ? -1 : 0; dy <= (cell > 0 ? 1 : 0); dy++) {
                    for (Candidate c : index.getOrDefault(values + cellOf(r.centroid(), cell, dx, dy), List.of())) {
                        if (cell == 0 || distance(r.centroid().get(), c.centroid().get()) <= cell) {
                            near.add(c);
                        }
                    }
                }
            }
            if (!near.isEmpty()) {
                fits.put(r.key(), near);
            }
        }
        return resolve(fits);
    }

    private static Result resolve(Map<String, List<Candidate>> fits) {
        Map<UUID, Integer> claims = new HashMap<>();
        fits.values().forEach(cs -> cs.forEach(c -> claims.merge(c.objektId(), 1, Integer::sum)));
        Map<String, Candidate> links = new HashMap<>();
        Map<String, Integer> ambiguous = new HashMap<>();
        fits.forEach((key, cs) -> {
            if (cs.size() == 1 && claims.get(cs.get(0).objektId()) == 1) {
                links.put(key, cs.get(0));
            } else {
                ambiguous.put(key, cs.size());
            }
        });
        return new Result(links, ambiguous);
    }

    private static String cellOf(Optional<double[]> centroid, double cell, int dx, int dy) {
        if (cell <= 0 || centroid.isEmpty()) {
            return "";
        }
        return "@" + ((long) Math.floor(centroid.get()[0] / cell) + dx) + "," + ((long) Math.floor(centroid.get()[1] / cell) + dy);
    }

    private static double distance(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
}
