package dk.geofasync.core.fkg;

import java.util.Locale;
import java.util.Optional;

/** The value types of GeoFA columns, as PostgreSQL names them in the FKG model. */
public enum FkgType {
    INTEGER("integer"), BIGINT("bigint"), DOUBLE("double precision"), NUMERIC("numeric"), VARCHAR("varchar"),
    CHAR("char"), TEXT("text"), BOOLEAN("boolean"), DATE("date"), UUID("uuid"), JSONB("jsonb"),
    TIMESTAMPTZ("timestamptz"), GEOMETRY("geometry");

    private final String sqlName;

    FkgType(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The name PostgreSQL's DDL takes, e.g. {@code double precision}. */
    public String sqlName() {
        return sqlName;
    }

    /** Whether a length limit belongs to this type ({@code varchar(254)}, {@code char(7)}). */
    public boolean hasLength() {
        return this == VARCHAR || this == CHAR;
    }

    public boolean isWholeNumber() {
        return this == INTEGER || this == BIGINT;
    }

    public boolean isNumber() {
        return isWholeNumber() || this == DOUBLE || this == NUMERIC;
    }

    /** The type of a PostgreSQL {@code udt_name} (information_schema), e.g. {@code int4}, {@code bpchar}. */
    public static Optional<FkgType> fromUdtName(String udtName) {
        return Optional.ofNullable(switch (udtName.toLowerCase(Locale.ROOT)) {
            case "int2", "int4" -> INTEGER;
            case "int8" -> BIGINT;
            case "float4", "float8" -> DOUBLE;
            case "numeric" -> NUMERIC;
            case "varchar" -> VARCHAR;
            case "bpchar" -> CHAR;
            case "text" -> TEXT;
            case "bool" -> BOOLEAN;
            case "date" -> DATE;
            case "uuid" -> UUID;
            case "json", "jsonb" -> JSONB;
            case "timestamptz" -> TIMESTAMPTZ;
            case "geometry" -> GEOMETRY;
            default -> null;
        });
    }

    /** The catalogue file's name of the type: lower case, e.g. {@code double}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
