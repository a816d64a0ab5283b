package dk.geofasync.sandbox.geofa;

import dk.geofasync.core.fkg.ColumnAccess;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * The fake GeoFA's data model in PostGIS, written as SQL from the theme catalogue. It follows FKG:
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
    static String create(FkgCatalogue catalogue, CodeLists codeLists) {
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
        codeLists.all().forEach((name, values) -> codeList(sql, name, values));
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
            view(sql, theme);
            triggers(sql, theme);
        }
        return sql.toString();
    }

    private static void codeList(StringBuilder sql, String name, Map<Integer, String> values) {
        sql.append("create table fkg.").append(name).append(" (kode integer primary key, begrebsvaerdi varchar(128) not null);\n");
        StringJoiner rows = new StringJoiner(", ", "insert into fkg." + name + " values ", ";\n");
        values.forEach((code, text) -> rows.add("(" + code + ", '" + text.replace("'", "''") + "')"));
        sql.append(rows);
    }

    private static void generel(StringBuilder sql, FkgTheme anyTheme) {
        sql.append("""
                create table fkg.generel (
                    versions_id uuid primary key,
                    objekt_id   uuid not null,
                    systid_fra  timestamptz not null,
                    systid_til  timestamptz,
                    oprettet    timestamptz not null,
                    temakode    integer not null""");
        List<FkgColumn> columns = writable(anyTheme, true);
        for (FkgColumn c : columns) {
            sql.append(",\n    ").append(columnDdl("generel", c, columns));
        }
        sql.append("""
                
                );
                create unique index generel_current_objekt_id on fkg.generel (objekt_id) where systid_til is null;
                create index generel_objekt_id on fkg.generel (objekt_id);
                create index generel_noegle on fkg.generel (noegle) where systid_til is null;
                """);
    }

    private static void themePart(StringBuilder sql, FkgTheme theme) {
        String table = theme.name() + "_t";
        sql.append("create table fkg.").append(table).append(" (\n    versions_id uuid primary key references fkg.generel (versions_id)");
        List<FkgColumn> columns = writable(theme, false);
        for (FkgColumn c : columns) {
            sql.append(",\n    ").append(c.type() == dk.geofasync.core.fkg.FkgType.GEOMETRY
                    ? c.name() + " geometry(" + theme.geometryType().geoJsonName() + ", 25832) not null"
                    : columnDdl(table, c, columns));
        }
        sql.append("\n);\n");
    }

    /**
     * A column with its constraints. A code-list key is named as GeoFA names it, after table and list
     * ({@code generel_d_basis_offentlig_fk}); where one table uses a list for several columns, after
     * table and column.
     */
    private static String columnDdl(String table, FkgColumn c, List<FkgColumn> tableColumns) {
        StringBuilder ddl = new StringBuilder(c.name()).append(' ').append(c.sqlType());
        if (c.required()) {
            ddl.append(" not null");
        }
        c.codeList().ifPresent(list -> {
            long users = tableColumns.stream().filter(o -> o.codeList().equals(c.codeList())).count();
            ddl.append(" constraint ").append(table).append('_').append(users == 1 ? list : c.name())
                    .append("_fk references fkg.").append(list).append(" (kode)");
        });
        c.range().ifPresent(r -> ddl.append(" constraint ").append(table).append('_').append(c.name())
                .append("_check check (").append(c.name()).append(" between ").append(r.min()).append(" and ").append(r.max()).append(')'));
        return ddl.toString();
    }

    private static void view(StringBuilder sql, FkgTheme theme) {
        String part = columns(writable(theme, false), "t.");
        sql.append("create view fkg.").append(theme.name()).append(" as\nselect g.objekt_id, g.versions_id, g.systid_fra, g.systid_til, g.oprettet, ")
                .append(columns(writable(theme, true), "g.")).append(", ").append(part).append(",\n")
                .append("       g.temakode, '").append(theme.title()).append("'::varchar(128) as temanavn, m.begrebsvaerdi as cvr_navn,\n")
                .append("       case g.cvr_kode when 29189900 then 630 end as kommunekode,\n")
                .append("       o.begrebsvaerdi as oprindelse, s.begrebsvaerdi as status, f.begrebsvaerdi as offentlig\n")
                .append("  from fkg.generel g\n  join fkg.").append(theme.name()).append("_t t using (versions_id)\n")
                .append("  left join fkg.d_basis_ansvarlig_myndighed m on m.kode = g.cvr_kode\n")
                .append("  left join fkg.d_basis_oprindelse o on o.kode = g.oprindkode\n")
                .append("  left join fkg.d_basis_status s on s.kode = g.statuskode\n")
                .append("  left join fkg.d_basis_offentlig f on f.kode = g.off_kode\n")
                .append(" where g.systid_til is null;\n");
    }

    private static void triggers(StringBuilder sql, FkgTheme theme) {
        String name = theme.name();
        List<FkgColumn> generic = writable(theme, true);
        List<FkgColumn> own = writable(theme, false);
        String insertVersion = """
                    insert into fkg.generel (versions_id, objekt_id, systid_fra, oprettet, temakode, %1$s)
                         values (v, o, now_, created, %2$d, %3$s);
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
                """.formatted(name, insertVersion));
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
