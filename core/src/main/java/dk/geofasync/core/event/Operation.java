package dk.geofasync.core.event;

import java.util.Arrays;

/** What happened to a VK row: insert (or backfill), update of a synced column, or delete. */
public enum Operation {
    INSERT("I"), UPDATE("U"), DELETE("D");

    private final String code;

    Operation(String code) {
        this.code = code;
    }

    /** The one-letter code of the outbox and the event ({@code I}, {@code U}, {@code D}). */
    public String code() {
        return code;
    }

    public static Operation fromCode(String code) {
        return Arrays.stream(values()).filter(o -> o.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown operation code '" + code + "' (I, U or D)"));
    }
}
