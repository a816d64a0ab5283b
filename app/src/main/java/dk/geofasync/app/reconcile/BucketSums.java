package dk.geofasync.app.reconcile;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per bucket of correlation keys, how many objects a side holds and the sum of their hashes
 * (modulo 2^60, so order does not matter and GeoFA's SQL and Java agree). Buckets whose sums
 * differ hold at least one difference; the others hold none, short of a hash collision.
 */
final class BucketSums {

    /** One bucket's count and hash sum. */
    record Sum(long objects, long hashSum) {
        static final Sum EMPTY = new Sum(0, 0);
    }

    private static final long MASK = (1L << 60) - 1;
    private final Map<String, long[]> sums = new HashMap<>();

    void add(String bucket, long hash) {
        long[] s = sums.computeIfAbsent(bucket, b -> new long[2]);
        s[0]++;
        s[1] = (s[1] + hash) & MASK; // long overflow wraps modulo 2^64, and 2^60 divides it
    }

    long objects() {
        return sums.values().stream().mapToLong(s -> s[0]).sum();
    }

    Map<String, Sum> asMap() {
        Map<String, Sum> map = new HashMap<>();
        sums.forEach((b, s) -> map.put(b, new Sum(s[0], s[1])));
        return map;
    }

    /** The buckets whose count or sum differ between the two sides, in order. */
    static Set<String> differing(Map<String, Sum> vk, Map<String, Sum> geofa) {
        Set<String> differing = new TreeSet<>();
        Set<String> all = new TreeSet<>(vk.keySet());
        all.addAll(geofa.keySet());
        for (String b : all) {
            if (!vk.getOrDefault(b, Sum.EMPTY).equals(geofa.getOrDefault(b, Sum.EMPTY))) {
                differing.add(b);
            }
        }
        return differing;
    }

    /**
     * Hex digits of the bucket names for a table of {@code rows} objects: about 16 objects a bucket,
     * so a difference costs few rows to read, and at most 65,536 buckets, one GeoFA answer.
     */
    static int digitsFor(long rows) {
        int digits = 1;
        while (digits < 4 && rows / Math.pow(16, digits) > 16) {
            digits++;
        }
        return digits;
    }
}
