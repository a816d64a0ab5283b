package dk.geofasync.sandbox.vk;

import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.core.mapping.TableMapping;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How fast the sample VK database fills: 100,000 points (target: under a minute), then all three
 * tables. Prints figures; run with {@code ./mvnw -B -ntp verify -Pbench -pl sandbox -am}.
 */
@Tag("bench")
class SampleVkBenchmark {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    @Test
    void loadHundredThousandObjects() {
        Mapping all = SampleVk.vejleMapping();
        TableMapping points = all.table("vk.facilitet_punkt").orElseThrow();
        Mapping pointsOnly = new Mapping(all.source(), List.of(points));

        new SampleVk(db.dataSource(), pointsOnly).reset(1_000, 1); // warm-up
        SampleLoad load = new SampleVk(db.dataSource(), pointsOnly).reset(100_000, 630);
        report("100,000 points (vk.facilitet_punkt)", load.rows(), load.took());

        SampleLoad three = new SampleVk(db.dataSource(), all).reset(100_000, 630);
        report("100,000 objects in each of 3 tables", three.rows(), three.took());
    }

    private static void report(String what, int rows, Duration took) {
        System.out.printf("BENCH sample VK load: %s: %,d rows in %.1f s (%,.0f rows/s)%n",
                what, rows, took.toMillis() / 1000.0, rows / (took.toMillis() / 1000.0));
    }
}
