package dk.geofasync.sandbox.vk;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.sandbox.Sandbox;
import dk.geofasync.sandbox.geofa.FakeGeofaDatabase;
import dk.geofasync.sandbox.geofa.GeofaUser;
import dk.geofasync.sandbox.geofa.GeofaVersion;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SampleVkTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    private final Mapping mapping = SampleVk.vejleMapping();

    private SampleLoad reset(int objects, long seed) {
        return new SampleVk(db.dataSource(), mapping).reset(objects, seed);
    }

    private String one(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private String fingerprint() throws SQLException {
        return one("select md5(string_agg(t::text, '|' order by id)) from vk.facilitet_punkt t")
                + one("select md5(string_agg(t::text, '|' order by id)) from vk.rute_linje t");
    }

    @Test
    void resetMakesTheMappedTablesInVksOwnLayout() throws SQLException {
        SampleLoad load = reset(200, Sandbox.DEFAULT_SEED);

        assertThat(load.rowsPerTable()).containsOnlyKeys("vk.facilitet_punkt", "vk.facilitet_flade", "vk.rute_linje", "vk.ladefacilitet", "vk.skoledistrikt");
        assertThat(one("select count(*) from vk.facilitet_flade")).isEqualTo("200");
        assertThat(column("select column_name from information_schema.columns where table_schema = 'vk' "
                + "and table_name = 'facilitet_punkt'"))
                .contains("id", "objekt_id", "geom", "facil_ty_k", "navn", "kontak_ved", "intern_bemaerkning", "ansvarlig_afdeling", "tilsyn_dato");
    }

    @Test
    void generatedValuesAreValidForGeofa() throws SQLException {
        reset(300, Sandbox.DEFAULT_SEED);

        String validFacilities = dk.geofasync.core.fkg.FkgCatalogue.standard().codeList("d_5800_facilitet").orElseThrow().activeCodes().stream().map(dk.geofasync.core.fkg.FkgCode::code).collect(Collectors.joining(","));
        assertThat(one("select count(*) from vk.facilitet_punkt where facil_ty_k not in (" + validFacilities + ")")).isEqualTo("0");
        assertThat(one("select count(*) from vk.rute_linje where rute_ty_k is null")).isEqualTo("0");
        assertThat(one("select count(*) from (select geom from vk.facilitet_punkt union all select geom from vk.facilitet_flade "
                + "union all select geom from vk.rute_linje) g where not st_coveredby(g.geom, st_geomfromtext('"
                + GeofaUser.VEJLE_FENCE + "', 25832)) or not st_isvalid(g.geom) or st_srid(g.geom) <> 25832")).isEqualTo("0");
        assertThat(column("select distinct geometrytype(geom) from vk.facilitet_punkt order by 1")).containsExactly("MULTIPOINT", "POINT");
        assertThat(column("select distinct geometrytype(geom) from vk.facilitet_flade")).containsExactly("POLYGON");
        assertThat(one("select count(*) from vk.facilitet_punkt where navn ~ ' ved '")).isEqualTo("300");
    }

    @Test
    void aFewObjectsAreAlreadyInGeofa() throws SQLException {
        SampleLoad load = reset(400, Sandbox.DEFAULT_SEED);

        assertThat(one("select count(*) from vk.facilitet_punkt where objekt_id is not null")).isEqualTo("10");
        assertThat(load.alreadyInGeofa().get("t_5800_fac_pkt")).hasSize(10)
                .allSatisfy(seed -> assertThat(seed.objektId().version()).isEqualTo(1));
    }

    @Test
    void sameSeedGivesTheSameRowsAndResetUndoesEdits() throws SQLException {
        reset(150, 42);
        String first = fingerprint();
        db.execute("update vk.facilitet_punkt set navn = 'rettet' where id = 3; delete from vk.rute_linje where id = 5");
        assertThat(fingerprint()).isNotEqualTo(first);

        reset(150, 42);
        assertThat(fingerprint()).isEqualTo(first);

        reset(150, 43);
        assertThat(fingerprint()).isNotEqualTo(first);
    }

    @Test
    void newRowsStaffInsertGetKeysAfterTheSample() throws SQLException {
        reset(50, 1);

        assertThat(one("insert into vk.facilitet_punkt (facil_ty_k, geom) values (1012, 'SRID=25832;POINT(550000 6170000)') returning id"))
                .isEqualTo("51");
    }

    @Test
    void sandboxResetPutsTheLinkedObjectsIntoTheFakeGeofa() throws SQLException {
        FakeGeofaDatabase geofa = new FakeGeofaDatabase(db.dataSource(), dk.geofasync.core.fkg.FkgCatalogue.standard(),
                List.of(GeofaUser.vejle()));

        Sandbox.reset(db.dataSource(), geofa, mapping, 120, Sandbox.DEFAULT_SEED);

        List<String> linked = column("select objekt_id::text from vk.facilitet_punkt where objekt_id is not null order by 1");
        List<GeofaVersion> inGeofa = geofa.current("t_5800_fac_pkt");
        assertThat(inGeofa).extracting(v -> v.objektId().toString()).containsExactlyInAnyOrderElementsOf(linked);
        GeofaVersion first = inGeofa.get(0);
        String key = first.text("noegle").orElseThrow().substring("vk.facilitet_punkt:".length());
        assertThat(first.text("navn")).contains(one("select navn from vk.facilitet_punkt where id = " + key));
        assertThat(first.text("cvr_kode")).contains("29189900");
        assertThat(first.values().get("geometri").get("type").asText()).isEqualTo("MultiPoint");
        assertThat(geofa.current("t_5802_fac_li")).isNotEmpty();
        assertThat(one("select count(*) from information_schema.schemata where schema_name = 'sync'")).isEqualTo("0");
    }
}
