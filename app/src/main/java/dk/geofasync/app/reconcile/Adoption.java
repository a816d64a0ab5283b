package dk.geofasync.app.reconcile;

import dk.geofasync.applier.writeback.WriteBack;
import dk.geofasync.core.mapping.MatchRule;
import dk.geofasync.core.mapping.SqlIdentifier;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code reconcile --link}: adopts objects already in GeoFA (loaded by hand or by FME) for VK rows
 * without objekt_id, by the table's {@code match} rule. A link writes the objekt_id into the row
 * (echo-free) and into {@code sync.object_link}, and the row's noegle into the object where it has
 * none; ambiguous fits are listed for a person. Runs before the comparison, so a linked row is
 * compared like any other, and never created a second time.
 */
final class Adoption {

    private final ComparedColumns compared;
    private final DataSource vk;
    private final GeofaPrints geofa;
    private final NoegleWriter noegler;

    Adoption(ComparedColumns compared, DataSource vk, GeofaPrints geofa, NoegleWriter noegler) {
        this.compared = compared;
        this.vk = vk;
        this.geofa = geofa;
        this.noegler = noegler;
    }

    /** Links what fits once; returns a LINKED finding per link and an AMBIGUOUS one per row with several fits. {@code notNow}: rows in flight. */
    List<Finding> link(MatchRule rule, java.util.function.Function<Set<String>, Set<String>> notNow) {
        TableMapping table = compared.table();
        List<LinkMatcher.Row> rows = unlinkedRows(rule);
        Set<String> inFlight = notNow.apply(rows.stream().map(LinkMatcher.Row::key).collect(java.util.stream.Collectors.toSet()));
        rows.removeIf(r -> inFlight.contains(r.key()));
        if (rows.isEmpty()) {
            return List.of();
        }
        LinkMatcher.Result result;
        if (rule.objektIdColumn().isPresent()) {
            Set<UUID> named = new HashSet<>();
            rows.forEach(r -> r.objektIdText().flatMap(RowPrint::uuid).ifPresent(named::add));
            result = LinkMatcher.byObjektId(rows, geofa.candidatesById(named));
        } else {
            result = LinkMatcher.byValues(rows, geofa.candidates(rule), rule.withinMetres().map(java.math.BigDecimal::doubleValue));
        }
        Map<String, LinkMatcher.Candidate> links = new LinkedHashMap<>(result.links());
        Set<UUID> taken = namedAlready(links.values().stream().map(LinkMatcher.Candidate::objektId).toList());
        links.values().removeIf(c -> taken.contains(c.objektId())); // another row names it: that row's, not this one's
        write(table, links);
        List<Finding> keyless = new ArrayList<>();
        links.forEach((key, c) -> {
            if (c.noegle().isEmpty()) {
                keyless.add(new Finding(DifferenceKind.LINKED, key, Optional.of(c.objektId()), Optional.of(c.versionsId()), List.of(),
                        Finding.Repair.WRITE_NOEGLE));
            }
        });
        noegler.write(table, keyless);
        List<Finding> findings = new ArrayList<>();
        links.forEach((key, c) -> findings.add(new Finding(DifferenceKind.LINKED, key, Optional.of(c.objektId()), List.of(), Finding.Repair.NONE)));
        result.ambiguous().forEach((key, n) -> findings.add(new Finding(DifferenceKind.AMBIGUOUS, key, Optional.empty(), List.of(), Finding.Repair.NONE)));
        return findings;
    }

    /** VK rows without objekt_id, with what the rule compares. */
    private List<LinkMatcher.Row> unlinkedRows(MatchRule rule) {
        TableMapping t = compared.table();
        Optional<String> geometry = compared.vkGeometryColumn().filter(g -> rule.withinMetres().isPresent()).map(g -> "r." + SqlIdentifier.quote(g));
        StringBuilder sql = new StringBuilder("select r.").append(SqlIdentifier.quote(t.keyColumn())).append("::text, ")
                .append(rule.objektIdColumn().map(c -> "r." + SqlIdentifier.quote(c) + "::text").orElse("null"));
        rule.columns().forEach(c -> sql.append(", r.").append(SqlIdentifier.quote(c)).append("::text"));
        geometry.ifPresent(g -> sql.append(", st_x(c.p), st_y(c.p)"));
        sql.append(" from ").append(t.table().quoted()).append(" r");
        geometry.ifPresent(g -> sql.append(" left join lateral (select case when st_srid(").append(g).append(") <> 0 and exists (select 1 from "
                + "spatial_ref_sys s where s.srid = st_srid(").append(g).append(")) then st_centroid(st_transform(").append(g)
                .append(", 25832)) end as p) c on true"));
        sql.append(" where r.").append(SqlIdentifier.quote(t.objektIdColumn())).append(" is null");
        List<LinkMatcher.Row> rows = new ArrayList<>();
        try (Connection c = vk.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("set local datestyle = 'ISO, YMD'");
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                ps.setFetchSize(2_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> hashes = new ArrayList<>();
                        for (int i = 0; i < rule.columns().size(); i++) {
                            hashes.add(compared.vkColumnHash(rule.columns().get(i), Optional.ofNullable(rs.getString(3 + i))));
                        }
                        Optional<double[]> centroid = Optional.empty();
                        if (geometry.isPresent()) {
                            double x = rs.getDouble(3 + rule.columns().size());
                            centroid = rs.wasNull() ? Optional.empty() : Optional.of(new double[] {x, rs.getDouble(4 + rule.columns().size())});
                        }
                        rows.add(new LinkMatcher.Row(rs.getString(1), Optional.ofNullable(rs.getString(2)), hashes, centroid));
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the rows of " + t.table() + " without objekt_id: " + e.getMessage(), e);
        }
        return rows;
    }

    /** Which of {@code ids} a VK row of the table names already. */
    private Set<UUID> namedAlready(List<UUID> ids) {
        Set<UUID> named = new HashSet<>();
        if (ids.isEmpty()) {
            return named;
        }
        TableMapping t = compared.table();
        try (Connection c = vk.getConnection(); PreparedStatement ps = c.prepareStatement("select " + SqlIdentifier.quote(t.objektIdColumn())
                + "::text from " + t.table().quoted() + " where " + SqlIdentifier.quote(t.objektIdColumn()) + "::text = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.stream().map(UUID::toString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RowPrint.uuid(rs.getString(1)).ifPresent(named::add);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the objekt_ids of " + t.table() + ": " + e.getMessage(), e);
        }
        return named;
    }

    /** The objekt_ids into the rows (echo-free, only where a row still has none) and the links, in one VK transaction. */
    private void write(TableMapping table, Map<String, LinkMatcher.Candidate> links) {
        if (links.isEmpty()) {
            return;
        }
        try (Connection c = vk.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(WriteBack.MARKER);
            }
            Map<String, UUID> ids = new LinkedHashMap<>();
            links.forEach((k, cand) -> ids.put(k, cand.objektId()));
            Set<String> written = Repairs.setObjektIds(c, table, dk.geofasync.capture.backfill.Backfill.columnType(c, table, table.objektIdColumn()), ids, true);
            links.keySet().retainAll(written); // a row that got an objekt_id meanwhile keeps it, and is not linked here
            if (links.isEmpty()) {
                c.commit();
                return;
            }
            Map<String, UUID> objects = new LinkedHashMap<>();
            Map<String, UUID> versions = new LinkedHashMap<>();
            links.forEach((k, cand) -> {
                objects.put(k, cand.objektId());
                versions.put(k, cand.versionsId());
            });
            Repairs.writeLinks(c, table, objects, versions);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the links of " + table.table() + ": " + e.getMessage(), e);
        }
    }

}
