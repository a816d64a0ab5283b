package dk.geofasync.app;

import dk.geofasync.app.cli.CaptureCommands;
import dk.geofasync.app.cli.CatalogueCommand;
import dk.geofasync.app.cli.CheckDataCommand;
import dk.geofasync.app.cli.CheckMappingCommand;
import dk.geofasync.app.cli.DeadLetterCommands;
import dk.geofasync.app.cli.InitMappingCommand;
import dk.geofasync.app.cli.MailTestCommand;
import dk.geofasync.app.cli.MigrateCommand;
import dk.geofasync.app.cli.OnceCommand;
import dk.geofasync.app.cli.ReconcileCommand;
import dk.geofasync.app.cli.ReplayCommand;
import dk.geofasync.app.cli.RunCommand;
import dk.geofasync.app.cli.StatusCommands;
import dk.geofasync.app.config.ConfigFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code geofa-sync} command line: the entry point of the executable jar. */
@Command(
        name = "geofa-sync",
        mixinStandardHelpOptions = true,
        versionProvider = GeofaSync.Version.class,
        description = {
            "Keeps a municipality's PostGIS tables (VK, the data master) in step with GeoFA (the id master):",
            "VK table -> trigger -> sync.captured_key -> pump -> sync.outbox -> relay -> Kafka -> applier -> GeoFA, and GeoFA's objekt_id back to VK.",
            ""
        },
        subcommands = {OnceCommand.class, ReconcileCommand.class, MigrateCommand.class, CheckMappingCommand.class, CheckDataCommand.class, InitMappingCommand.class, CatalogueCommand.class, CaptureCommands.Install.class, CaptureCommands.Uninstall.class,
            CaptureCommands.Run.class, ReplayCommand.class, DeadLetterCommands.class, StatusCommands.Status.class, StatusCommands.Runs.class, StatusCommands.Purge.class, RunCommand.class, MailTestCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done, 1 done but problems were found (see the output), 2 could not run."})
public final class GeofaSync implements Runnable {

    /** Done, nothing to report. */
    public static final int OK = 0;
    /** Ran, but found problems the output describes (an invalid mapping, dead letters). */
    public static final int PROBLEMS = 1;
    /** Could not run: bad arguments or settings, a database or service out of reach. */
    public static final int COULD_NOT_RUN = 2;

    private static final Logger LOG = LoggerFactory.getLogger(GeofaSync.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "settings file (YAML; env GEOFA_SYNC_CONFIG; default ./application.yml when present): option names as keys, "
                    + "e.g. db-url, geofa-url; command line and GEOFA_SYNC_ variables win")
    Path config;

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The command line for {@code args} (they name the config file, if any). */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /** The command line with geofa-sync's error handling (one clear message, no stack trace) and the config file's settings. */
    public static CommandLine commandLine(String... args) {
        return commandLine(List.of(), args);
    }

    /**
     * The same with {@code more} commands (the demo jar adds its sandbox commands this way, so the
     * production jar carries none of them); they get the same settings file and error handling.
     */
    public static CommandLine commandLine(List<Object> more, String... args) {
        CommandLine cli = new CommandLine(new GeofaSync());
        more.forEach(cli::addSubcommand);
        cli.setDefaultValueProvider(ConfigFile.find(args).checkedAgainst(cli));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            LOG.debug("{} failed", commandLine.getCommandName(), e);
            PrintWriter err = commandLine.getErr();
            err.println("geofa-sync " + commandLine.getCommandName() + ": " + e.getMessage());
            err.flush();
            return COULD_NOT_RUN;
        });
        cli.setParameterExceptionHandler((e, given) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("geofa-sync " + c.getCommandName() + ": " + withoutValues(e.getMessage(), given));
            c.getErr().println("(geofa-sync " + c.getCommandName() + " --help describes its options)");
            c.getErr().flush();
            return COULD_NOT_RUN;
        });
        cli.setExitCodeExceptionMapper(e -> COULD_NOT_RUN);
        return cli;
    }

    /**
     * Picocli's message without the values given on the command line: a mistyped option's value (a
     * password, say) must not be repeated on the screen or into a log. Option names stay.
     */
    static String withoutValues(String message, String[] given) {
        String m = message;
        for (String arg : given) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("-") && eq > 0) {
                m = m.replace(arg, arg.substring(0, eq) + "=…");
            } else if (!arg.startsWith("-") && !arg.isBlank()) {
                m = m.replace("'" + arg + "'", "(a value, not shown)");
            }
        }
        return m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version Maven wrote into the jar, e.g. {@code geofa-sync 0.5.0}. */
    public static String version() {
        try {
            return new Version().getVersion()[0];
        } catch (IOException e) {
            return "geofa-sync (unknown version)";
        }
    }

    /** The version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = GeofaSync.class.getResourceAsStream("/geofa-sync-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"geofa-sync " + p.getProperty("version", "(unknown version)")};
        }
    }
}
