package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.sandbox.SandboxMark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The fake GeoFA's PostGIS side: builds and resets schema fkg, seeds objects that are "already in
 * GeoFA", and reads every version back. Usable without the HTTP server (for {@code sandbox reset}).
 */
public final class FakeGeofaDatabase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final FkgCatalogue catalogue;
    private final List<GeofaUser> users;

    public FakeGeofaDatabase(DataSource dataSource, FkgCatalogue catalogue, List<GeofaUser> users) {
        this.dataSource = dataSource;
        this.catalogue = catalogue;
        this.users = List.copyOf(users);
    }

    DataSource dataSource() {
        return dataSource;
    }

    FkgCatalogue catalogue() {
        return catalogue;
    }

    /** Builds the FKG model if the database has none yet; keeps what an earlier run or reset left. */
    public void ensure() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_namespace where nspname = '" + FakeGeofaSchema.SCHEMA + "'")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                reset();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look for the fake GeoFA's schema: " + e.getMessage(), e);
        }
    }

    /**
     * Drops everything the fake holds and builds an empty FKG model with the users' geofences.
     *
     * @throws IllegalStateException when the database is neither empty nor a sandbox (see {@link SandboxMark})
     */
    public void reset() {
        SandboxMark.claim(dataSource);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("drop schema if exists " + FakeGeofaSchema.SCHEMA + " cascade");
            s.execute(FakeGeofaSchema.create(catalogue, CodeLists.standard()));
            try (PreparedStatement fence = c.prepareStatement(
                    "insert into fkg.geofence (bruger, fence) values (?, st_geomfromtext(?, 25832))")) {
                for (GeofaUser user : users) {
                    fence.setString(1, user.name());
                    fence.setString(2, user.geofenceWkt());
                    fence.addBatch();
                }
                fence.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot build the fake GeoFA's schema: " + e.getMessage(), e);
        }
    }

    /**
     * Puts objects into the fake as if they had been created in GeoFA long ago (with the given
     * objekt_id, bypassing the API), so the sample VK rows that already carry an objekt_id match.
     */
    public void seed(String themeName, List<GeofaSeed> objects) {
        FkgTheme theme = catalogue.theme(themeName).orElseThrow(() -> new IllegalArgumentException("unknown theme " + themeName));
        List<FkgColumn> generic = FakeGeofaSchema.writable(theme, true);
        List<FkgColumn> own = FakeGeofaSchema.writable(theme, false);
        String genericSql = "insert into fkg.generel (versions_id, objekt_id, systid_fra, oprettet, temakode, "
                + names(generic) + ") values (?, ?, now(), now(), " + theme.temakode() + ", " + casts(generic) + ")";
        String ownSql = "insert into fkg." + theme.name() + "_t (versions_id, " + names(own) + ") values (?, " + casts(own) + ")";
        try (Connection c = dataSource.getConnection();
             PreparedStatement g = c.prepareStatement(genericSql);
             PreparedStatement t = c.prepareStatement(ownSql)) {
            c.setAutoCommit(false);
            for (GeofaSeed object : objects) {
                UUID version = UUID.randomUUID();
                g.setObject(1, version);
                g.setObject(2, object.objektId());
                bindValues(g, 3, generic, object);
                g.addBatch();
                t.setObject(1, version);
                bindValues(t, 2, own, object);
                t.addBatch();
            }
            g.executeBatch();
            t.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot seed the fake GeoFA's " + themeName + ": " + e.getMessage(), e);
        }
    }

    private static void bindValues(PreparedStatement ps, int first, List<FkgColumn> columns, GeofaSeed object) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            Object value = object.values().get(columns.get(i).name());
            ps.setString(first + i, value == null ? null : value.toString());
        }
    }

    private static String names(List<FkgColumn> columns) {
        return columns.stream().map(FkgColumn::name).collect(Collectors.joining(", "));
    }

    private static String casts(List<FkgColumn> columns) {
        return columns.stream()
                .map(c -> c.type() == FkgType.GEOMETRY ? "st_multi(st_geomfromewkt(?))" : "cast(? as " + c.sqlType() + ")")
                .collect(Collectors.joining(", "));
    }

    /** Every version of every object of a theme, oldest first per object. */
    public List<GeofaVersion> versions(String themeName) {
        FkgTheme theme = catalogue.theme(themeName).orElseThrow(() -> new IllegalArgumentException("unknown theme " + themeName));
        String values = Stream.concat(FakeGeofaSchema.writable(theme, true).stream(), FakeGeofaSchema.writable(theme, false).stream())
                .map(FakeGeofaDatabase::jsonColumn)
                .collect(Collectors.joining(", "));
        String sql = "select g.objekt_id, g.versions_id, g.systid_fra, g.systid_til, g.oprettet, "
                + "(select row_to_json(v) from (select " + values + ") v)::text"
                + " from fkg.generel g join fkg." + theme.name() + "_t t using (versions_id)"
                + " order by g.objekt_id, g.systid_fra";
        List<GeofaVersion> versions = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                versions.add(new GeofaVersion(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, OffsetDateTime.class), Optional.ofNullable(rs.getObject(4, OffsetDateTime.class)),
                        rs.getObject(5, OffsetDateTime.class), JSON.readTree(rs.getString(6))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the fake GeoFA's " + themeName + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions;
    }

    /** The current version of every object of a theme that is not deleted. */
    public List<GeofaVersion> current(String theme) {
        return versions(theme).stream().filter(GeofaVersion::current).toList();
    }

    private static String jsonColumn(FkgColumn c) {
        return c.type() == FkgType.GEOMETRY ? "st_asgeojson(t." + c.name() + ")::json as " + c.name()
                : (c.generic() ? "g." : "t.") + c.name();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
