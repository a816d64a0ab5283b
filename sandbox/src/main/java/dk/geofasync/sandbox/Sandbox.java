package dk.geofasync.sandbox;

import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.sandbox.geofa.FakeGeofaDatabase;
import dk.geofasync.sandbox.vk.SampleLoad;
import dk.geofasync.sandbox.vk.SampleVk;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The whole local world at a known state: the sample VK tables, the fake GeoFA holding exactly
 * the sample objects that already carry an objekt_id, and no sync state (schema sync is dropped;
 * {@code geofa-sync migrate} makes it anew).
 */
public final class Sandbox {

    /** The seed {@code sandbox reset} uses unless told otherwise. */
    public static final long DEFAULT_SEED = 630;
    /** Objects per table {@code sandbox reset} makes unless told otherwise. */
    public static final int DEFAULT_OBJECTS = 300;

    /** The database the sandbox commands use when none is configured. */
    public static final String DATABASE = "geofa_sandbox";

    private Sandbox() {
    }

    /** @throws IllegalStateException when the database is neither empty nor a sandbox (see {@link SandboxMark}) */
    public static SampleLoad reset(DataSource vk, FakeGeofaDatabase geofa, Mapping mapping, int objectsPerTable, long seed) {
        SandboxMark.claim(vk);
        geofa.reset();
        try (Connection c = vk.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists sync cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the sync schema of the sandbox: " + e.getMessage(), e);
        }
        SampleLoad load = new SampleVk(vk, mapping).reset(objectsPerTable, seed);
        load.alreadyInGeofa().forEach(geofa::seed);
        return load;
    }
}
