package dk.geofasync.applier.apply;

import dk.geofasync.applier.run.CurrentRun;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the applier did with events, kept until it is written to VK in one transaction: the events'
 * final inbox states and their change-log rows. It is written after each GeoFA statement (a batch of
 * creates, an update, a delete), so VK's record of a statement is all there or not at all; an event
 * whose record was lost in a crash comes again and is compared with GeoFA before anything is sent.
 * Both are recorded under the {@link CurrentRun} open when they are written.
 */
final class Ledger {

    /** Work to do in the same transaction, e.g. filing a dead letter. */
    @FunctionalInterface
    interface InTransaction {
        void run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final CurrentRun run;
    private final List<Inbox.Finish> finishes = new ArrayList<>();
    private final List<ChangeLog.Entry> changes = new ArrayList<>();

    Ledger(DataSource dataSource, CurrentRun run) {
        this.dataSource = dataSource;
        this.run = run;
    }

    void finish(Inbox.Finish finish, List<ChangeLog.Entry> changed) {
        finishes.add(finish);
        changes.addAll(changed);
    }

    void commit() {
        if (!finishes.isEmpty() || !changes.isEmpty()) {
            commit(c -> { });
        }
    }

    /** Writes what was noted, and {@code alongside}, in one transaction. */
    void commit(InTransaction alongside) {
        Optional<Long> runId = run.id();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                alongside.run(c);
                ChangeLog.write(c, changes, runId);
                Inbox.finish(c, finishes, runId);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record " + finishes.size() + " handled events in sync.inbox and sync.change_log: "
                    + e.getMessage(), e);
        }
        finishes.clear();
        changes.clear();
    }
}
