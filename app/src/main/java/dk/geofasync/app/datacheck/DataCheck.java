package dk.geofasync.app.datacheck;

import dk.geofasync.applier.apply.RowCheck;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.ValueCheck;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Judges every row of mapped VK tables by the FKG catalogue's rules, as the applier does before it
 * sends ({@link RowCheck}): each row as a new object would be sent (every required column filled,
 * every mapped value, the geometry). Sends nothing and writes nothing; reads in one read-only
 * transaction per run.
 */
public final class DataCheck {

    private final DataSource vk;
    private final RowCheck rules;

    public DataCheck(DataSource vk, FkgCatalogue catalogue) {
        this.vk = vk;
        this.rules = new RowCheck(catalogue);
    }

    /**
     * Reads {@code tables} one after the other and reports to {@code findings} as it goes.
     *
     * @return how many rows GeoFA would refuse
     * @throws IllegalStateException naming the table when VK cannot be read (missing table or column, VK out of reach)
     */
    public long run(List<TableMapping> tables, Findings findings) {
        long rows = 0;
        long refused = 0;
        String reading = "the VK database";
        try (Connection c = vk.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                for (TableMapping table : tables) {
                    reading = "VK table " + table.table();
                    findings.tableStarted(table);
                    long[] counts = new long[2];
                    new VkRowReader(table).read(c, row -> {
                        counts[0]++;
                        List<Finding> found = judge(table, row);
                        if (!found.isEmpty()) {
                            counts[1]++;
                            found.forEach(findings::refused);
                        }
                    });
                    findings.tableDone(table, counts[0], counts[1]);
                    rows += counts[0];
                    refused += counts[1];
                }
            } finally {
                c.rollback(); // it only read
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + reading + ": " + firstLine(e.getMessage()), e);
        }
        findings.done(rows, refused);
        return refused;
    }

    /** Everything GeoFA would refuse of one row, in the mapping's column order. */
    List<Finding> judge(TableMapping table, VkRowReader.VkRow row) {
        List<RowCheck.Refusal> refusals = new ArrayList<>(rules.ofCreate(table, row.values()));
        Optional<String> geometry = table.columnFromGeofa(FkgTheme.GEOMETRY_COLUMN).map(ColumnMapping::vkColumn);
        if (row.geometryProblem().isPresent() && geometry.isPresent()) {
            // the relay could not make GeoJSON of it: it is there, just not sendable, so it is not "missing"
            refusals.removeIf(r -> r.vkColumn().equals(geometry.get()));
            refusals.add(new RowCheck.Refusal(geometry.get(), FkgTheme.GEOMETRY_COLUMN, ValueCheck.Rule.GEOMETRY, Optional.empty(),
                    row.geometryProblem().get(), row.geometryProblem().get()));
        } else {
            rules.ofGeometry(table, row.values()).ifPresent(refusals::add);
        }
        List<String> order = table.syncedVkColumns();
        return refusals.stream().sorted(Comparator.comparingInt(r -> order.indexOf(r.vkColumn())))
                .map(r -> finding(table, row, r)).toList();
    }

    private static Finding finding(TableMapping table, VkRowReader.VkRow row, RowCheck.Refusal r) {
        boolean masked = table.sensitiveColumns().contains(r.geofaColumn());
        Optional<String> sent = masked ? Optional.empty()
                : table.columnFromVk(r.vkColumn()).flatMap(c -> c.apply(row.values().value(r.vkColumn())));
        return new Finding(table.table().toString(), row.key(), r.vkColumn(), r.geofaColumn(), r.rule(), r.reason(), sent, masked);
    }

    /** PostgreSQL's first line: its DETAIL may repeat a row's values. */
    private static String firstLine(String message) {
        String m = message == null ? "" : message;
        return m.lines().findFirst().orElse(m).trim();
    }
}
