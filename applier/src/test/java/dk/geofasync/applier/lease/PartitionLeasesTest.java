package dk.geofasync.applier.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Instances sharing a group's partitions: one applier per partition, and none beside a process applying the group alone. */
class PartitionLeasesTest {

    @RegisterExtension
    static final PostgisDatabase vk = new PostgisDatabase();

    @Test
    void aPartitionIsAppliedByOneInstanceAtATimeAndFreeForTheNextOnceLetGo() {
        try (PartitionLeases a = PartitionLeases.join(vk.dataSource(), "share-test", Duration.ofSeconds(1));
             PartitionLeases b = PartitionLeases.join(vk.dataSource(), "share-test", Duration.ofSeconds(1))) {
            assertThat(a.tryTake(0)).isTrue();
            assertThat(a.tryTake(1)).isTrue();
            assertThat(b.tryTake(0)).as("held by the other instance").isFalse();
            assertThat(b.tryTake(2)).isTrue();
            a.release(0);
            assertThat(b.tryTake(0)).as("let go between batches").isTrue();
            assertThat(a.held()).containsExactly(1);
            assertThat(b.held()).containsExactlyInAnyOrder(0, 2);
        }
    }

    @Test
    void aKilledInstancesPartitionsAreFreeAtOnceAndItsFenceStopsIt() {
        try (PartitionLeases a = PartitionLeases.join(vk.dataSource(), "share-kill", Duration.ofSeconds(1));
             PartitionLeases b = PartitionLeases.join(vk.dataSource(), "share-kill", Duration.ofSeconds(1))) {
            assertThat(a.tryTake(3)).isTrue();
            vk.execute("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and objsubid = 2 "
                    + "and database = (select oid from pg_database where datname = current_database())");
            assertThatThrownBy(a::check).isInstanceOf(ApplierLease.Lost.class).hasMessageContaining("share-kill");
            assertThat(b.tryTake(3)).isTrue();
        }
    }

    @Test
    void sharingInstancesAndAProcessApplyingTheGroupAloneKeepOutOfEachOthersWay() {
        try (PartitionLeases shared = PartitionLeases.join(vk.dataSource(), "share-alone", Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> ApplierLease.take(vk.dataSource(), "share-alone", Duration.ofMillis(200))).isInstanceOf(ApplierLease.Held.class);
        }
        try (ApplierLease alone = ApplierLease.take(vk.dataSource(), "share-alone", Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> PartitionLeases.join(vk.dataSource(), "share-alone", Duration.ofMillis(200)))
                    .isInstanceOf(ApplierLease.Held.class).hasMessageContaining("alone");
        }
    }
}
