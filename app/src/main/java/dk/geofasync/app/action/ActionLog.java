package dk.geofasync.app.action;

import static dk.geofasync.db.jooq.Tables.ACTION;

import dk.geofasync.db.SyncSchema;
import java.util.Locale;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records each action taken over HTTP in {@code sync.action}: who, when, what, on what, and how it went. */
public final class ActionLog {

    private static final Logger LOG = LoggerFactory.getLogger(ActionLog.class);

    private final DSLContext dsl;

    public ActionLog(DataSource vk) {
        this.dsl = SyncSchema.dsl(vk);
    }

    /** Records one action; when VK cannot take the row, says so in the log (the action itself stands). */
    public void record(String who, ActionKind kind, String target, ActionOutcome outcome, String from) {
        try {
            dsl.insertInto(ACTION).set(ACTION.WHO, who).set(ACTION.ACTION_, kind.code()).set(ACTION.TARGET, target)
                    .set(ACTION.OUTCOME, outcome.result().name().toLowerCase(Locale.ROOT)).set(ACTION.DETAIL, outcome.detail())
                    .set(ACTION.FROM_ADDRESS, from).execute();
        } catch (RuntimeException e) {
            LOG.warn("action {} by {} ({}) could not be recorded in sync.action: {}", kind.code(), who, outcome.result(), e.getMessage());
        }
    }
}
