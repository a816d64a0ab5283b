package dk.geofasync.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.initmapping.ColumnMatcher;
import dk.geofasync.app.initmapping.MappingProposal;
import dk.geofasync.app.initmapping.MappingSkeleton;
import dk.geofasync.app.initmapping.VkColumn;
import dk.geofasync.app.initmapping.VkColumns;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.mapping.InvalidMappingException;
import dk.geofasync.core.mapping.MappingLoader;
import dk.geofasync.core.mapping.VkTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geofa-sync init-mapping}: writes a first mapping for one VK table and GeoFA theme from the
 * table's columns, matched by name to the theme's writable columns, for a person to check and finish.
 */
@Command(name = "init-mapping", mixinStandardHelpOptions = true,
        description = {"Write a mapping skeleton for one VK table and GeoFA theme: VK columns matched to the theme's writable",
            "columns by name (the same, spelt otherwise, or close), the primary key as key, a uuid column named like objekt_id,",
            "the geometry column by its type, and TODO placeholders for required GeoFA columns nothing fills.",
            "Exit 0 when the skeleton loads as it is, 1 when something marked TODO is left to do."})
public final class InitMappingCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE", description = "the VK table, e.g. vk.facilitet_punkt")
    String table;

    @Option(names = "--theme", required = true, paramLabel = "THEME", description = "the GeoFA theme, e.g. t_5800_fac_pkt")
    String theme;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write the mapping (never over an existing file); default: the screen")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, SQLException {
        FkgCatalogue catalogue = FkgCatalogue.standard();
        VkTable vkTable = VkTable.parse(table).orElseThrow(() -> new IllegalArgumentException(
                "--table '" + table + "' is not a table name: write schema.table, each part of letters, digits and _"));
        FkgTheme fkgTheme = catalogue.theme(theme).orElseThrow(() -> new IllegalArgumentException(
                "unknown GeoFA theme '" + theme + "'" + similarThemes(catalogue, theme)));
        if (out != null && Files.exists(out)) {
            throw new IllegalArgumentException(out + " exists; init-mapping does not overwrite a mapping: choose another --out");
        }
        List<VkColumn> columns;
        try (HikariDataSource vk = database.open("geofa-sync init-mapping", 1); Connection c = vk.getConnection()) {
            columns = VkColumns.read(c, vkTable);
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("the VK database has no table " + vkTable + " (or user " + database.config().user()
                    + " may not see its columns)");
        }
        MappingProposal proposal = ColumnMatcher.propose(vkTable, fkgTheme, columns);
        String yaml = MappingSkeleton.render(proposal, catalogue);
        // the skeleton on the screen stays pure YAML (it may be piped into a file); the account goes to stderr then
        PrintWriter report = out == null ? spec.commandLine().getErr() : spec.commandLine().getOut();
        if (out == null) {
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
        } else {
            Files.writeString(out, yaml, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW); // never another's file, even one made meanwhile
        }
        return report(report, proposal, yaml);
    }

    private int report(PrintWriter report, MappingProposal p, String yaml) {
        long close = p.columns().stream().filter(m -> m.how() == MappingProposal.How.CLOSE_NAME).count();
        report.printf("%s%s -> %s: %d column(s) matched (%d by a close name: check them), %d VK column(s) not synced, "
                        + "%d required GeoFA column(s) to fill%n", out == null ? "" : "wrote " + out + ": ", p.table(), p.theme().name(),
                p.columns().size(), close, p.unmatched().size(), p.missingRequired().size());
        boolean loads = true;
        try {
            MappingLoader.standard().load(out == null ? "the skeleton" : out.toString(), new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        } catch (InvalidMappingException e) {
            loads = false;
            report.println("To do before it loads (see the TODO comments):");
            e.problems().forEach(problem -> report.println("  - " + problem));
        }
        if (!p.objektIdColumnExists()) {
            report.println("To do in VK: alter table " + p.table() + " add column " + p.objektIdColumn() + " uuid");
        }
        if (loads && p.objektIdColumnExists()) {
            report.println("It loads as it is; check it, then run geofa-sync check-mapping and install-triggers with it.");
        }
        report.flush();
        return loads && p.objektIdColumnExists() ? GeofaSync.OK : GeofaSync.PROBLEMS;
    }

    /** "; did you mean …" with the themes whose name or number contains what was given. */
    private static String similarThemes(FkgCatalogue catalogue, String given) {
        String wanted = given.toLowerCase(Locale.ROOT);
        String number = wanted.replaceAll("\\D", "");
        List<String> similar = catalogue.themes().stream().map(FkgTheme::name)
                .filter(n -> n.contains(wanted) || (number.length() >= 4 && n.contains(number))).limit(5).toList();
        return similar.isEmpty() ? "; `geofa-sync catalogue` lists the themes" : "; did you mean " + String.join(", ", similar) + "?";
    }
}
