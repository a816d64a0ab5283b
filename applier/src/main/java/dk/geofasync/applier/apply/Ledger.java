package dk.geofasync.applier.apply;

import dk.geofasync.applier.run.CurrentRun;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * What the applier did with events, kept until it is written to VK in one transaction: the events'
 * final inbox states and their change-log rows. It is written after each GeoFA statement (a batch of
 * creates, an update, a delete), so VK's record of a statement is all there or not at all; an event
 * whose record was lost in a crash comes again and is compared with GeoFA before anything is sent.
 * Both are recorded under the {@link CurrentRun} open when they are written.
 *
 * <p>A packed request's record can be written {@linkplain #commitLater later}, on a thread of its
 * own, while the next request is with GeoFA (VK's and GeoFA's databases work side by side); every
 * synchronous {@link #commit} and {@link #awaitRecorded} waits for what was handed over first, so
 * the applier reports nothing handled that is not on record. Records are written in the order
 * handed over, and none after one that failed.
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
    /** One thread, so records are written in the order handed over; it ends when idle (an applier has no close). */
    private final ThreadPoolExecutor recorder = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "geofa-sync-ledger");
        t.setDaemon(true);
        return t;
    });
    private final List<Future<?>> handedOver = new ArrayList<>();
    /**
     * Set when a handed-over record failed: the records handed over after it are not written either,
     * until {@link #awaitRecorded} reports the failure. Written out of order, a later event of an
     * object would be on record while an earlier one is not; the earlier one would then come again
     * and be applied as state over the later one's values (the fault suite found GeoFA set back so).
     */
    private final java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();

    Ledger(DataSource dataSource, CurrentRun run) {
        this.dataSource = dataSource;
        this.run = run;
        recorder.allowCoreThreadTimeOut(true);
    }

    void finish(Inbox.Finish finish, List<ChangeLog.Entry> changed) {
        finishes.add(finish);
        changes.addAll(changed);
    }

    void commit() {
        if (!finishes.isEmpty() || !changes.isEmpty()) {
            commit(c -> { });
        } else {
            awaitRecorded();
        }
    }

    /** Writes what was noted, and {@code alongside}, in one transaction (after what was handed over to be written later). */
    void commit(InTransaction alongside) {
        awaitRecorded();
        write(List.copyOf(finishes), List.copyOf(changes), run.id(), alongside);
        finishes.clear();
        changes.clear();
    }

    /**
     * Writes what was noted on the ledger's own thread, after {@code first} (sending the replies
     * that must be safe before the events count as handled); returns at once. A failure shows at
     * the next {@link #commit} or {@link #awaitRecorded}.
     */
    void commitLater(Runnable first) {
        List<Inbox.Finish> f = List.copyOf(finishes);
        List<ChangeLog.Entry> ch = List.copyOf(changes);
        Optional<Long> runId = run.id(); // the run they were done in, whenever the thread writes them
        finishes.clear();
        changes.clear();
        handedOver.add(recorder.submit(() -> {
            if (broken.get()) {
                throw new IllegalStateException("not recorded: a record handed over before it failed, and records keep their order");
            }
            try {
                first.run();
                write(f, ch, runId, c -> { });
            } catch (RuntimeException e) {
                broken.set(true);
                throw e;
            }
        }));
    }

    /** Waits until everything handed over is written; throws the first failure (those events are then not on record). */
    void awaitRecorded() {
        RuntimeException failure = null;
        for (Future<?> f : handedOver) {
            try {
                f.get();
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while recording handled events in VK", e);
            }
        }
        handedOver.clear();
        broken.set(false); // every record handed over has ended: what comes next is written again
        if (failure != null) {
            throw failure;
        }
    }

    private void write(List<Inbox.Finish> finishes, List<ChangeLog.Entry> changes, Optional<Long> runId, InTransaction alongside) {
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
    }
}
