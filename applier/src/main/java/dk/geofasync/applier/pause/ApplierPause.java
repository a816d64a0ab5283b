package dk.geofasync.applier.pause;

import static dk.geofasync.db.jooq.Tables.APPLIER_PAUSE;

import dk.geofasync.applier.geofa.GeofaException;
import dk.geofasync.db.SyncSchema;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether staff paused a consumer group's applier ({@code sync.applier_pause}): kept in VK, so every
 * instance of the group obeys it and it outlives a restart. Read at most every {@link #LOOK_EVERY}.
 */
public final class ApplierPause implements BooleanSupplier {

    private static final Logger LOG = LoggerFactory.getLogger(ApplierPause.class);
    /** How soon a pause or resume given on one instance takes effect on all of them. */
    public static final Duration LOOK_EVERY = Duration.ofSeconds(2);

    /** A pause in effect: who asked for it, when, and why (their words). */
    public record Paused(String by, OffsetDateTime since, Optional<String> reason) {
        /** How status lines begin that tell of a pause. */
        public static final String LINE_START = "the applier is paused";

        /** For staff: who, since when, why, and how it ends. */
        public String line() {
            return LINE_START + " by " + by + " since " + since.withNano(0) + reason.map(r -> " (" + r + ")").orElse("")
                    + ": nothing goes to GeoFA until it is resumed (POST /actions/applier/resume)";
        }
    }

    private final DSLContext dsl;
    private final String group;
    private volatile boolean paused;
    private volatile long lookedAt;
    private volatile boolean looked;

    public ApplierPause(DataSource vk, String group) {
        this.dsl = SyncSchema.dsl(vk);
        this.group = group;
    }

    /** The pause in effect for the group, read now. */
    public Optional<Paused> current() {
        return dsl.selectFrom(APPLIER_PAUSE).where(APPLIER_PAUSE.APPLIER_GROUP.eq(group)).fetchOptional()
                .map(r -> new Paused(r.getPausedBy(), r.getPausedAt(), Optional.ofNullable(r.getReason())));
    }

    /** Pauses the group's applier (a pause already in effect keeps its time and gets the new name and reason). */
    public void pause(String by, Optional<String> reason) {
        dsl.insertInto(APPLIER_PAUSE).set(APPLIER_PAUSE.APPLIER_GROUP, group).set(APPLIER_PAUSE.PAUSED_BY, by)
                .set(APPLIER_PAUSE.REASON, reason.orElse(null))
                .onConflict(APPLIER_PAUSE.APPLIER_GROUP).doUpdate().set(APPLIER_PAUSE.PAUSED_BY, by).set(APPLIER_PAUSE.REASON, reason.orElse(null))
                .execute();
        looked = false;
    }

    /** Lets the group's applier go on; false when it was not paused. */
    public boolean resume() {
        looked = false;
        return dsl.deleteFrom(APPLIER_PAUSE).where(APPLIER_PAUSE.APPLIER_GROUP.eq(group)).execute() > 0;
    }

    /**
     * Before each GeoFA statement: throws {@link GeofaException.Unavailable#pausedByStaff()} while
     * paused, so a batch under way stops at its next request and its rest waits on Kafka.
     */
    public void refuseWhilePaused() {
        if (getAsBoolean()) {
            throw GeofaException.Unavailable.pausedByStaff();
        }
    }

    /**
     * Whether the applier is paused, as last read. When VK cannot say, the last answer holds: VK out
     * of reach stops the applier anyway, and a pause must not lift because of a failed read.
     */
    @Override
    public boolean getAsBoolean() {
        long now = System.nanoTime();
        if (!looked || now - lookedAt >= LOOK_EVERY.toNanos()) {
            try {
                boolean was = paused;
                paused = dsl.fetchExists(APPLIER_PAUSE, APPLIER_PAUSE.APPLIER_GROUP.eq(group));
                if (was != paused) {
                    LOG.info("applier of {}: {}", group, paused ? "paused by staff (sync.applier_pause); it applies nothing until resumed"
                            : "resumed");
                }
            } catch (RuntimeException e) {
                LOG.debug("applier of {}: could not read whether it is paused: {}", group, e.getMessage());
            }
            lookedAt = now;
            looked = true;
        }
        return paused;
    }
}
