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
     * Empties the fake: an FKG model built from this catalogue before, or one the fake did not build
     * (an install of the real model, OpenFKG/fkg-postgresql, to check geofa-sync against), keeps its
     * tables and loses its objects; otherwise the model is built anew from the catalogue. Building all
     * 91 themes takes about a second and a half, emptying them a few milliseconds.
     *
     * @throws IllegalStateException when the database is neither empty nor a sandbox (see {@link SandboxMark})
     */
    public void reset() {
        SandboxMark.claim(dataSource);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            Model model = model(s);
            if (model == Model.FOREIGN) {
                s.execute("truncate " + FakeGeofaSchema.SCHEMA + ".generel cascade"); // the theme parts reference it
                c.commit();
                return;
            }
            if (model == Model.CURRENT) {
                s.execute("truncate " + FakeGeofaSchema.SCHEMA + ".generel, " + FakeGeofaSchema.SCHEMA + ".geofence cascade");
            } else {
                s.execute("drop schema if exists " + FakeGeofaSchema.SCHEMA + " cascade");
                s.execute(FakeGeofaSchema.create(catalogue));
                s.execute("comment on schema " + FakeGeofaSchema.SCHEMA + " is " + dk.geofasync.core.mapping.SqlIdentifier.literal(stamp()));
            }
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

    /** What schema fkg holds: nothing or an older build, this catalogue's build, or a model the fake did not build. */
    private enum Model { NONE_OR_STALE, CURRENT, FOREIGN }

    private Model model(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("select obj_description(n.oid, 'pg_namespace'), to_regclass('fkg.geofence') is not null "
                + "from pg_namespace n where n.nspname = '" + FakeGeofaSchema.SCHEMA + "'")) {
            if (!rs.next()) {
                return Model.NONE_OR_STALE;
            }
            if (!rs.getBoolean(2)) {
                return Model.FOREIGN;
            }
            return stamp().equals(rs.getString(1)) ? Model.CURRENT : Model.NONE_OR_STALE;
        }
    }

    /** A digest of the model's DDL, so a build from another catalogue or by an older fake is made anew. */
    private String stamp() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(FakeGeofaSchema.create(catalogue).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "geofa-sync fake GeoFA " + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
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
        String genericSql = "insert into fkg.generel (versions_id, objekt_id, systid_fra, oprettet, "
                + names(generic) + ") values (?, ?, now(), now(), " + casts(generic) + ")";
        String ownSql = "insert into fkg." + theme.partTable() + " (versions_id, " + names(own) + ") values (?, " + casts(own) + ")";
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
