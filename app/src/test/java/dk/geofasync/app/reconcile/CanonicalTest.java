package dk.geofasync.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.sandbox.junit.PostgisDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A value's canonical text made in Java (from the text geofa-sync sends) equals the one PostgreSQL
 * makes from the value GeoFA stores after taking that text: the two halves of {@link Canonical}
 * agree, so equal objects hash alike on both sides.
 */
class CanonicalTest {

    @RegisterExtension
    static final PostgisDatabase db = new PostgisDatabase();

    @ParameterizedTest(name = "{0} ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "integer | 42", "integer | ' 7 '", "integer | -3", "integer | +5", "bigint | 9000000000",
        "numeric | 1.50", "numeric | 100", "numeric | 0.00", "numeric | -0.5", "numeric | 1e3", "numeric | 12.3400",
        "double precision | 0.1", "double precision | 1.234", "double precision | 500.99", "double precision | 1e10", "double precision | 2",
        "double precision | 0.30000000000000004", "double precision | -0.0000001", "double precision | 1234.5678904999997",
        "double precision | 712345.1234564999", "double precision | 199999.99999949998",
        "date | 2024-06-15", "date | 0001-02-28", "date | '2024-06-15 10:30:00'",
        "boolean | t", "boolean | false", "boolean | yes", "boolean | 0",
        "uuid | 8F1C3E2A-0000-11EF-8000-0242AC120002",
        "char(7) | 'ab   '", "varchar(254) | Bålplads ved søen", "varchar(254) | 'med  mellemrum  '", "text | 😀 emoji 😀",
    })
    void javaAndPostgresqlMakeTheSameTextOfAValue(String sqlType, String sent) throws Exception {
        FkgType type = FkgType.fromUdtName(udt(sqlType)).orElseThrow();
        Optional<String> java = Canonical.ofJava(type, Optional.of(sent));
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "select " + Canonical.encodeSql(Canonical.ofSql(type, "v")) + " from (select cast(cast(? as text) as " + sqlType + ") as v) s")) {
            ps.setString(1, sent);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(Canonical.encode(java)).isEqualTo(rs.getString(1));
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"integer | 4.5", "date | 15-06-2024", "boolean | maybe"})
    void aTextGeofaCannotHoldNeverEqualsAStoredValue(String sqlType, String sent) {
        assertThat(Canonical.ofJava(FkgType.fromUdtName(udt(sqlType)).orElseThrow(), Optional.of(sent)).orElseThrow()).startsWith("\u0001");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "a", "vk.facilitet_punkt:17", "Æblehaven 3"})
    void hashesAndBucketsAreTheSameInJavaAndPostgresql(String text) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("select " + Canonical.hashSql("cast(? as text)") + ", "
                + Canonical.bucketSql("cast(? as text)", 3) + ", " + Canonical.columnHashSql("cast(? as text)"))) {
            ps.setString(1, text);
            ps.setString(2, text);
            ps.setString(3, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(Canonical.hash(text));
                assertThat(rs.getString(2)).isEqualTo(Canonical.bucket(text, 3));
                assertThat(rs.getString(3)).isEqualTo(Canonical.columnHash(text));
            }
        }
    }

    private static String udt(String sqlType) {
        return switch (sqlType.replaceAll("\\(.*", "")) {
            case "integer" -> "int4";
            case "bigint" -> "int8";
            case "double precision" -> "float8";
            case "boolean" -> "bool";
            case "char" -> "bpchar";
            default -> sqlType.replaceAll("\\(.*", "");
        };
    }
}
