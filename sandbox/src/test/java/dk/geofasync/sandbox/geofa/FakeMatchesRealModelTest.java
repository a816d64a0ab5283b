package dk.geofasync.sandbox.geofa;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fake GeoFA answers a write as the real FKG model does, for each kind of theme (point, line,
 * area): a code list, a CHECK, a year-1 date, NOT NULL, a length, a geometry type, and a write to a
 * derived column that is ignored. The expected texts were taken from OpenFKG/fkg-postgresql
 * (5fbed9b8) installed on a session machine; with {@code -Dfkg.real.url=jdbc:postgresql://…?user=…}
 * the same statements also run against such an install and must give the same messages.
 */
class FakeMatchesRealModelTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    @BeforeAll
    static void fake() {
        new FakeGeofaDatabase(db.dataSource(), FkgCatalogue.standard(), List.of()).reset();
    }

    private static final String POINT = "st_multi(st_geomfromtext('POINT(553000 6175000)', 25832))";
    private static final String LINE = "st_multi(st_geomfromtext('LINESTRING(553000 6175000, 553100 6175100)', 25832))";
    private static final String AREA = "st_multi(st_geomfromtext('POLYGON((553000 6175000, 553100 6175000, 553100 6175100, 553000 6175000))', 25832))";
    private static final String GENERIC = "cvr_kode, bruger_id, oprindkode, statuskode, off_kode";
    private static final String VEJLE = "29189900, 't', 7, 3, 1";

    record Case(String name, String sql, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> refusals() {
        return List.of(
                new Case("point: code list", "insert into fkg.t_5800_fac_pkt (" + GENERIC + ", facil_ty_k, kvalitet_k, saeson_k, geometri) values ("
                        + VEJLE + ", 1012, 9, 3, " + POINT + ")",
                        "insert or update on table \"t_5800_fac_pkt_t\" violates foreign key constraint \"t_5800_fac_pkt_d_5800_saeson_fk\"\n"
                                + "  Detail: Key (saeson_k)=(3) is not present in table \"d_5800_saeson\"."),
                new Case("point: generic code list", "insert into fkg.t_5800_fac_pkt (" + GENERIC + ", facil_ty_k, kvalitet_k, geometri) values ("
                        + "29189900, 't', 7, 3, 99, 1012, 9, " + POINT + ")",
                        "insert or update on table \"generel\" violates foreign key constraint \"generel_d_basis_offentlig_fk\"\n"
                                + "  Detail: Key (off_kode)=(99) is not present in table \"d_basis_offentlig\"."),
                new Case("point: not null", "insert into fkg.t_5800_fac_pkt (" + GENERIC + ", facil_ty_k, geometri) values ("
                        + VEJLE + ", 1012, " + POINT + ")",
                        "null value in column \"kvalitet_k\" of relation \"t_5800_fac_pkt_t\" violates not-null constraint"),
                new Case("point: single point", "insert into fkg.t_5800_fac_pkt (" + GENERIC + ", facil_ty_k, kvalitet_k, geometri) values ("
                        + VEJLE + ", 1012, 9, st_geomfromtext('POINT(553000 6175000)', 25832))",
                        "Geometry type (Point) does not match column type (MultiPoint)"),
                new Case("point: check", "insert into fkg.t_5800_fac_pkt (" + GENERIC + ", facil_ty_k, kvalitet_k, antal_pl, geometri) values ("
                        + VEJLE + ", 1012, 9, 10000, " + POINT + ")",
                        "new row for relation \"t_5800_fac_pkt_t\" violates check constraint \"t_5800_fac_pkt_antal_pl_ck\""),
                new Case("point: year-1 date", "insert into fkg.t_5800_fac_pkt (" + GENERIC + ", facil_ty_k, kvalitet_k, saeson_sl, geometri) values ("
                        + VEJLE + ", 1012, 9, '2025-09-30', " + POINT + ")",
                        "new row for relation \"t_5800_fac_pkt_t\" violates check constraint \"t_5800_fac_pkt_saeson_sl_aar_skal_vaere_1_ck\""),
                new Case("line: code list", "insert into fkg.t_5802_fac_li (" + GENERIC + ", rute_ty_k, kvalitet_k, handicap_k, geometri) values ("
                        + VEJLE + ", 1, 9, 42, " + LINE + ")",
                        "insert or update on table \"t_5802_fac_li_t\" violates foreign key constraint \"t_5802_fac_li_d_basis_handicapegnet_fk\"\n"
                                + "  Detail: Key (handicap_k)=(42) is not present in table \"d_basis_handicapegnet\"."),
                new Case("area: code list", "insert into fkg.t_5801_fac_fl (" + GENERIC + ", facil_ty_k, kvalitet_k, geometri) values ("
                        + VEJLE + ", 1061000, 9, " + AREA + ")",
                        "insert or update on table \"t_5801_fac_fl_t\" violates foreign key constraint \"t_5801_fac_fl_d_5800_facilitet_fk\"\n"
                                + "  Detail: Key (facil_ty_k)=(1061000) is not present in table \"d_5800_facilitet\"."),
                new Case("area: check", "insert into fkg.t_5801_fac_fl (" + GENERIC + ", facil_ty_k, kvalitet_k, antal_pl, geometri) values ("
                        + VEJLE + ", 1191, 9, -1, " + AREA + ")",
                        "new row for relation \"t_5801_fac_fl_t\" violates check constraint \"t_5801_fac_fl_antal_pl_ck\""),
                new Case("line: check", "insert into fkg.t_5802_fac_li (" + GENERIC + ", rute_ty_k, kvalitet_k, laengde, geometri) values ("
                        + VEJLE + ", 1, 9, 1200, " + LINE + ")",
                        "new row for relation \"t_5802_fac_li_t\" violates check constraint \"t_5802_fac_li_laengde_ck\""),
                new Case("line: length", "insert into fkg.t_5802_fac_li (" + GENERIC + ", rute_ty_k, kvalitet_k, navndels, geometri) values ("
                        + VEJLE + ", 1, 9, repeat('x', 129), " + LINE + ")",
                        "value too long for type character varying(128)"),
                new Case("area: year-1 date", "insert into fkg.t_5801_fac_fl (" + GENERIC + ", facil_ty_k, kvalitet_k, saeson_st, geometri) values ("
                        + VEJLE + ", 1191, 9, '2024-05-01', " + AREA + ")",
                        "new row for relation \"t_5801_fac_fl_t\" violates check constraint \"t_5801_fac_fl_t_saeson_st_aar_skal_vaere_1_ck\""),
                new Case("area: geometry kind", "insert into fkg.t_5801_fac_fl (" + GENERIC + ", facil_ty_k, kvalitet_k, geometri) values ("
                        + VEJLE + ", 1191, 9, " + LINE + ")",
                        "Geometry type (MultiLineString) does not match column type (MultiPolygon)"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesAsTheRealModelDoes(Case c) throws SQLException {
        try (Connection fake = db.connect()) {
            assertThat(refusal(fake, c.sql())).as("fake").contains(c.message());
        }
        Optional<String> real = Optional.ofNullable(System.getProperty("fkg.real.url"));
        if (real.isPresent()) {
            try (Connection model = DriverManager.getConnection(real.get())) {
                assertThat(refusal(model, c.sql())).as("real model").contains(c.message());
            }
        }
    }

    static List<Case> accepted() {
        return List.of(
                new Case("point: year-1 date and a derived column written", "insert into fkg.t_5800_fac_pkt (" + GENERIC
                        + ", facil_ty_k, facil_ty, kvalitet_k, saeson_st, geometri) values (" + VEJLE + ", 1061, 'Fiskeplads', 9, '0001-05-01', "
                        + POINT + ") returning objekt_id", "facil_ty = Blå Flag strand"),
                new Case("line: derived handikap written", "insert into fkg.t_5802_fac_li (" + GENERIC
                        + ", rute_ty_k, kvalitet_k, handikap, handicap_k, laengde, geometri) values (" + VEJLE + ", 1, 9, 'Nej', 1, 12.5, "
                        + LINE + ") returning objekt_id", "handikap = Handicapegnet"),
                new Case("line: a derived column showing the code itself", "insert into fkg.t_5802_fac_li (" + GENERIC
                        + ", rute_ty_k, kvalitet_k, certifi_k, geometri) values (" + VEJLE + ", 1, 9, 0, " + LINE + ") returning objekt_id",
                        "certifi = 0"),
                new Case("area: season dates", "insert into fkg.t_5801_fac_fl (" + GENERIC
                        + ", facil_ty_k, kvalitet_k, saeson_st, saeson_sl, geometri) values (" + VEJLE + ", 1191, 9, '0001-04-01', '0001-09-30', "
                        + AREA + ") returning objekt_id", "kommunekode = 630"));
    }

    /** A write GeoFA takes stores the client's columns; what GeoFA derives comes from the code lists, not from the write. */
    @ParameterizedTest
    @MethodSource("accepted")
    void takesValidWritesAndIgnoresDerivedColumns(Case c) throws SQLException {
        try (Connection fake = db.connect()) {
            assertThat(stored(fake, c.sql(), c.message().split(" = ")[0])).as("fake").isEqualTo(c.message());
        }
        Optional<String> real = Optional.ofNullable(System.getProperty("fkg.real.url"));
        if (real.isPresent()) {
            try (Connection model = DriverManager.getConnection(real.get())) {
                assertThat(stored(model, c.sql(), c.message().split(" = ")[0])).as("real model").isEqualTo(c.message());
            }
        }
    }

    private static String refusal(Connection c, String sql) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("set local search_path = fkg, public");
            s.execute(sql);
            return "accepted";
        } catch (SQLException e) {
            String message = e.getMessage();
            return message == null ? "" : message.lines().filter(l -> !l.startsWith("  Where:")).reduce((a, b) -> a + "\n" + b).orElse("");
        } finally {
            c.rollback();
        }
    }

    private static String stored(Connection c, String sql, String column) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("set local search_path = fkg, public");
            String id;
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                id = rs.getString(1);
            }
            String view = sql.replaceAll("(?s).*insert into (fkg\\.\\w+) .*", "$1");
            try (ResultSet rs = s.executeQuery("select " + column + "::text from " + view + " where objekt_id = '" + id + "'")) {
                rs.next();
                return column + " = " + rs.getString(1);
            }
        } finally {
            c.rollback();
        }
    }
}
