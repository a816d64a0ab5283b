package dk.geofasync.sandbox.geofa;

import dk.geofasync.core.fkg.ColumnAccess;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgCheck;
import dk.geofasync.core.fkg.FkgCode;
import dk.geofasync.core.fkg.FkgCodeList;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.mapping.SqlIdentifier;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * The fake GeoFA's data model in PostGIS, written as SQL from the catalogue of the real FKG model
 * (every theme, the real code lists as foreign keys, the real CHECK constraints and names). It follows FKG:
 * a generic part ({@code fkg.generel}) and a part per theme ({@code fkg.t_5800_fac_pkt_t}), both
 * holding every version; a view per theme ({@code fkg.t_5800_fac_pkt}) showing current versions
 * with derived columns; INSTEAD OF triggers that make ids, version on update, close on delete,
 * and check the user's geofence. Constraints are real, so errors carry PostgreSQL's own messages.
 */
final class FakeGeofaSchema {

    static final String SCHEMA = "fkg";

    private FakeGeofaSchema() {
    }

    /** The SQL that creates schema fkg from nothing. */
    static String create(FkgCatalogue catalogue) {
        StringBuilder sql = new StringBuilder();
        sql.append("create extension if not exists \"uuid-ossp\" with schema public;\n");
        sql.append("create schema ").append(SCHEMA).append(";\n");
        // st_geomfromgeojson looks up the GeoJSON's "crs" name in spatial_ref_sys by auth_srid, once per
        // executed row (PostGIS caches it per statement only); unindexed that scan was 0.4 ms of every
        // insert and the largest share of the fake's CPU in the benchmark. Behaviour is unchanged.
        sql.append("""
                do $i$ begin
                    create index if not exists spatial_ref_sys_auth_srid on public.spatial_ref_sys (auth_srid);
                exception when insufficient_privilege then null; -- PostGIS installed by another role: slower, same answers
                end $i$;
                """);
        catalogue.codeLists().forEach(list -> codeList(sql, list));
        // the model's table of themes, where GeoFA and the catalogue generator read each theme's title
        sql.append("create table fkg.d_tabel (tema_kode integer primary key, tema_navn varchar not null, udvekslingsnavn varchar not null);\n");
        StringJoiner themes = new StringJoiner(", ", "insert into fkg.d_tabel values ", ";\n");
        catalogue.themes().forEach(t -> themes.add("(" + t.temakode() + ", " + SqlIdentifier.literal(t.title()) + ", "
                + SqlIdentifier.literal(t.name()) + ")"));
        sql.append(themes);
        generel(sql, catalogue.themes().get(0));
        sql.append("""
                create table fkg.geofence (
                    bruger text primary key,
                    fence  geometry(MultiPolygon, 25832) not null
                );
                -- GeoFA refuses rows outside the user's area (their municipality); the HTTP layer
                -- names the user of the request in fake_geofa.user.
                create function fkg.check_geofence(g geometry) returns void language plpgsql as $f$
                declare
                    area geometry;
                begin
                    select f.fence into area from fkg.geofence f where f.bruger = current_setting('fake_geofa.user', true);
                    if area is not null and g is not null and not st_coveredby(g, area) then
                        raise exception 'LIMIT ERROR';
                    end if;
                end $f$;
                """);
        for (FkgTheme theme : catalogue.themes()) {
            themePart(sql, theme);
            view(sql, theme, catalogue);
            triggers(sql, theme);
        }
        return sql.toString();
    }

    /** A code list as the FKG model has it: its own key and label column names, and {@code aktiv}. */
    private static void codeList(StringBuilder sql, FkgCodeList list) {
        String keyType = switch (list.keyType()) {
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case CHAR -> "char(" + list.codes().stream().mapToInt(c -> c.code().length()).max().orElse(1) + ")";
            default -> "varchar";
        };
        sql.append("create table fkg.").append(list.name()).append(" (").append(list.keyColumn()).append(' ').append(keyType)
                .append(" primary key");
        if (!list.labelColumn().equals(list.keyColumn())) {
            sql.append(", ").append(list.labelColumn()).append(" varchar");
        }
        list.extraColumns().forEach(extra -> sql.append(", ").append(extra).append(" varchar"));
        sql.append(", aktiv integer not null default 1);\n");
        if (list.codes().isEmpty()) {
            return;
        }
        StringJoiner rows = new StringJoiner(", ", "insert into fkg." + list.name() + " values ", ";\n");
        for (FkgCode code : list.codes()) {
            String key = list.keyType().isWholeNumber() ? code.code() : SqlIdentifier.literal(code.code());
            StringBuilder extra = new StringBuilder();
            list.extraColumns().forEach(e -> extra.append(", ").append(Optional.ofNullable(code.extra().get(e)).map(SqlIdentifier::literal).orElse("null")));
            rows.add("(" + key + (list.labelColumn().equals(list.keyColumn()) ? "" : ", " + SqlIdentifier.literal(code.label()))
                    + extra + ", " + (code.active() ? 1 : 0) + ")");
        }
        sql.append(rows);
    }

    private static void generel(StringBuilder sql, FkgTheme anyTheme) {
        sql.append("""
                create table fkg.generel (
                    versions_id uuid primary key,
                    objekt_id   uuid not null,
                    systid_fra  timestamptz not null,
                    systid_til  timestamptz,
                    oprettet    timestamptz not null""");
        for (FkgColumn c : writable(anyTheme, true)) {
            sql.append(",\n    ").append(columnDdl(c));
        }
        sql.append("""
                
                );
                create unique index generel_current_objekt_id on fkg.generel (objekt_id) where systid_til is null;
                create index generel_objekt_id on fkg.generel (objekt_id);
                create index generel_noegle on fkg.generel (noegle) where systid_til is null;
                """);
        foreignKeys(sql, "generel", writable(anyTheme, true));
    }

    private static void themePart(StringBuilder sql, FkgTheme theme) {
        String table = theme.partTable();
        sql.append("create table fkg.").append(table).append(" (\n    versions_id uuid primary key references fkg.generel (versions_id)");
        List<FkgColumn> columns = writable(theme, false);
        for (FkgColumn c : columns) {
            sql.append(",\n    ").append(c.type() == FkgType.GEOMETRY
                    ? c.name() + " geometry(" + theme.geometryType().geoJsonName() + ", 25832)" + (c.required() ? " not null" : "")
                    : columnDdl(c));
        }
        sql.append("\n);\n");
        foreignKeys(sql, table, columns);
    }

    /** A column with its type, NOT NULL and CHECK constraints, named as in the model. */
    private static String columnDdl(FkgColumn c) {
        StringBuilder ddl = new StringBuilder(c.name()).append(' ').append(c.sqlType());
        if (c.required()) {
            ddl.append(" not null");
        }
        for (FkgCheck check : c.checks()) {
            ddl.append(" constraint ").append(check.name()).append(' ').append(check.expression());
        }
        return ddl.toString();
    }

    /** Code-list keys, named as in the model (its names tell the staff nothing; the catalogue maps them to columns). */
    private static void foreignKeys(StringBuilder sql, String table, List<FkgColumn> columns) {
        for (FkgColumn c : columns) {
            if (c.codeList().isPresent() && c.foreignKey().isPresent()) {
                sql.append("alter table fkg.").append(table).append(" add constraint ").append(c.foreignKey().get())
                        .append(" foreign key (").append(c.name()).append(") references fkg.").append(c.codeList().get()).append(";\n");
            }
        }
    }

    /**
     * The theme view as GeoFA has it: current versions only, columns in the model's order, each code
     * column followed by its label looked up in the code list (read-only: the trigger ignores it).
     */
    private static void view(StringBuilder sql, FkgTheme theme, FkgCatalogue catalogue) {
        StringJoiner select = new StringJoiner(",\n       ");
        StringBuilder joins = new StringBuilder();
        java.util.Map<String, String> aliases = new java.util.HashMap<>();
        for (FkgColumn c : theme.columns()) {
            if (c.access() != ColumnAccess.DERIVED) {
                select.add((c.generic() ? "g." : "t.") + c.name());
                continue;
            }
            if (c.name().equals("temakode")) {
                select.add(theme.temakode() + " as temakode");
                continue;
            }
            if (c.name().equals("temanavn")) {
                select.add("'" + theme.partTable() + "'::text as temanavn");
                continue;
            }
            Optional<FkgColumn> source = c.derivedFrom().flatMap(theme::column);
            Optional<FkgCodeList> list = source.flatMap(catalogue::codeListOf);
            boolean text = c.type() == FkgType.VARCHAR || c.type() == FkgType.TEXT || c.type() == FkgType.CHAR;
            // the code list's own column of that name (kommunekode), else its text for a text column, else its code
            // (the model shows t_5802_fac_li's certifi and saeson as the code itself)
            String shown = list.isEmpty() ? null
                    : list.get().extraColumns().contains(c.name()) ? c.name()
                    : text ? list.get().labelColumn()
                    : list.get().keyColumn();
            if (source.isEmpty() || shown == null) {
                select.add("null::" + c.sqlType() + " as " + c.name()); // a value the model derives from data the catalogue lacks
                continue;
            }
            String alias = aliases.computeIfAbsent(source.get().name(), k -> {
                String a = "k" + (aliases.size() + 1);
                joins.append("\n  left join fkg.").append(list.get().name()).append(' ').append(a).append(" on ")
                        .append(source.get().generic() ? "g." : "t.").append(source.get().name()).append(" = ").append(a).append('.')
                        .append(list.get().keyColumn());
                return a;
            });
            select.add(alias + "." + shown + "::" + c.sqlType() + " as " + c.name());
        }
        String from = "\n  from fkg.generel g\n  join fkg." + theme.partTable() + " t using (versions_id)" + joins;
        sql.append("create view fkg.").append(theme.name()).append(" as\nselect ").append(select).append(from)
                .append("\n where g.systid_til is null;\n");
        // as the model's hist_ views: every version, closed ones included (reconcile tells a deleted object from one it cannot see)
        sql.append("create view fkg.hist_").append(theme.name()).append(" as\nselect ").append(select).append(from).append(";\n");
    }

    private static void triggers(StringBuilder sql, FkgTheme theme) {
        String name = theme.name();
        List<FkgColumn> generic = writable(theme, true);
        List<FkgColumn> own = writable(theme, false);
        String insertVersion = """
                    insert into fkg.generel (versions_id, objekt_id, systid_fra, oprettet, %1$s)
                         values (v, o, now_, created, %3$s);
                    insert into fkg.%4$s_t (versions_id, %5$s) values (v, %6$s);
                """.formatted(columns(generic, ""), theme.temakode(), columns(generic, "new."), name, columns(own, ""), columns(own, "new."));
        sql.append("""
                create function fkg.%1$s_write() returns trigger language plpgsql as $f$
                declare
                    v uuid := public.uuid_generate_v1();
                    o uuid;
                    now_ timestamptz := clock_timestamp();
                    created timestamptz;
                begin
                    if tg_op = 'DELETE' then
                        update fkg.generel set systid_til = now_ where versions_id = old.versions_id;
                        return old;
                    end if;
                    if tg_op = 'UPDATE' then
                        if new.objekt_id is distinct from old.objekt_id then
                            raise exception 'Update of objekt_id is not allowed';
                        end if;
                        o := old.objekt_id;
                        created := old.oprettet;
                        update fkg.generel set systid_til = now_ where versions_id = old.versions_id;
                    else
                        o := public.uuid_generate_v1();
                        created := now_;
                    end if;
                    perform fkg.check_geofence(new.geometri);
                %2$s
                    new.objekt_id := o;
                    new.versions_id := v;
                    new.systid_fra := now_;
                    new.systid_til := null;
                    new.oprettet := created;
                    return new;
                end $f$;
                create trigger %1$s_write instead of insert or update or delete on fkg.%1$s
                    for each row execute function fkg.%1$s_write();
                """.formatted(name, insertVersion, theme.column(FkgTheme.GEOMETRY_COLUMN).isPresent()
                        ? "perform fkg.check_geofence(new." + FkgTheme.GEOMETRY_COLUMN + ");" : ""));
    }

    /** The columns a client writes, of the generic part or of the theme's own part. */
    static List<FkgColumn> writable(FkgTheme theme, boolean generic) {
        return theme.columns().stream()
                .filter(c -> c.access() == ColumnAccess.WRITE && c.generic() == generic)
                .toList();
    }

    private static String columns(List<FkgColumn> columns, String prefix) {
        return columns.stream().map(c -> prefix + c.name()).collect(Collectors.joining(", "));
    }
}
