package dk.geofasync.applier.geofa;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.db.SyncSchema;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Instances sharing the partitions keep the GeoFA user's budget together, not each its own. */
class SharedRequestWindowTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();

    @BeforeAll
    static void schema() {
        SyncSchema.migrate(vk.dataSource());
    }

    @Test
    void instancesClaimingAtOnceNeverLetMoreThanTheBudgetGoInAMinute() throws Exception {
        int budget = 7;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Duration>> claims = new ArrayList<>();
            for (int instance = 0; instance < 3; instance++) {
                SharedRequestWindow window = new SharedRequestWindow(vk.dataSource(), "https://geofa.test/|kom630", budget);
                for (int i = 0; i < 5; i++) {
                    claims.add(pool.submit((Callable<Duration>) window::claim));
                }
            }
            long let = 0;
            for (Future<Duration> c : claims) {
                Duration wait = c.get();
                if (wait.isZero()) {
                    let++;
                } else {
                    assertThat(wait).as("until the oldest request leaves the minute").isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
                }
            }
            assertThat(let).as("requests let go by three instances together").isEqualTo(budget);
            assertThat(count("select count(*) from sync.geofa_request")).isEqualTo(budget);
            assertThat(count("select count(*) from sync.geofa_request where budget like '%kom630%'")).as("the user's name is not kept").isZero();
            assertThat(new SharedRequestWindow(vk.dataSource(), "https://geofa.test/|another-user", budget).claim())
                    .as("another GeoFA user's budget is its own").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = vk.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
