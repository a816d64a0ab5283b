package dk.geofasync.core.fkg;

/** An inclusive range of whole numbers, as a GeoFA CHECK constraint allows (e.g. antal_pl 0–9999). */
public record IntRange(long min, long max) {
    public IntRange {
        if (min > max) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] is empty");
        }
    }

    public boolean contains(long value) {
        return value >= min && value <= max;
    }
}
