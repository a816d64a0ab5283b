package dk.geofasync.applier.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.applier.run.CurrentRun;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** VK's record of what the applier did keeps the order of events, also when writing one record fails. */
class LedgerTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();

    @BeforeAll
    static void schema() {
        SyncSchema.migrate(vk.dataSource());
    }

    @Test
    void aRecordHandedOverAfterOneThatFailedIsNotWrittenEither() {
        vk.execute("delete from sync.inbox; insert into sync.inbox (event_id, source_table, row_key, op, attempts) values "
                + "('ledger:older', 'vk.facilitet_punkt', '7', 'I', 1), ('ledger:newer', 'vk.facilitet_punkt', '7', 'U', 1)");
        AtomicBoolean cut = new AtomicBoolean(true); // VK's connection is cut under the first record, then VK answers again
        Ledger ledger = new Ledger(failingOnce(vk.dataSource(), cut), new CurrentRun());

        ledger.finish(new Inbox.Finish("ledger:older", InboxState.APPLIED, null, null), List.of());
        ledger.commitLater(() -> { });
        ledger.finish(new Inbox.Finish("ledger:newer", InboxState.APPLIED, null, null), List.of());
        ledger.commitLater(() -> { });

        assertThatThrownBy(ledger::awaitRecorded).hasMessageContaining("Connection is closed");
        // had the newer event been on record alone, the older one would come again and be applied as state over the newer values
        assertThat(SyncSchema.dsl(vk.dataSource()).fetch("select event_id from sync.inbox where state = 'received' order by event_id")
                .getValues(0, String.class)).containsExactly("ledger:newer", "ledger:older");

        ledger.finish(new Inbox.Finish("ledger:older", InboxState.APPLIED, null, null), List.of());
        ledger.commitLater(() -> { });
        ledger.awaitRecorded();
        assertThat(SyncSchema.dsl(vk.dataSource()).fetch("select event_id from sync.inbox where state = 'applied'").getValues(0, String.class))
                .as("after the failure was reported, records are written again").containsExactly("ledger:older");
    }

    /** VK as a data source whose first connection fails as a cut connection does. */
    private static DataSource failingOnce(DataSource real, AtomicBoolean cut) {
        return (DataSource) Proxy.newProxyInstance(LedgerTest.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            if (method.getName().equals("getConnection") && cut.getAndSet(false)) {
                throw new SQLException("Connection is closed");
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
