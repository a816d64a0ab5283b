package dk.geofasync.app.cli;

import static dk.geofasync.db.jooq.Tables.DEAD_LETTER;

import com.zaxxer.hikari.HikariDataSource;
import dk.geofasync.app.GeofaSync;
import dk.geofasync.app.action.DeadLetterActions;
import dk.geofasync.core.mapping.Mapping;
import dk.geofasync.db.SyncSchema;
import dk.geofasync.db.jooq.tables.records.DeadLetterRecord;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code geofa-sync dead-letters list|show|retry|discard}: what GeoFA refused, why, sending it again once fixed, or giving it up. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"Changes that could not be applied to GeoFA: list them, show one, retry once GeoFA's side is fixed,",
            "or discard one that needs nothing more. A fixed VK row syncs by itself and supersedes its letters."},
        subcommands = {DeadLetterCommands.ListLetters.class, DeadLetterCommands.Show.class, DeadLetterCommands.Retry.class,
            DeadLetterCommands.Discard.class})
public final class DeadLetterCommands implements Runnable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code text} with control characters shown as escapes, so a stored value cannot move the cursor or recolour the terminal. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /** {@code dead-letters list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "The open dead letters, oldest first (--all: every letter).")
    static final class ListLetters implements Callable<Integer> {
        @Option(names = "--all", description = "also resolved, superseded and discarded letters")
        boolean all;
        @Mixin
        DatabaseOptions database;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (HikariDataSource ds = database.open("dead-letters", 1)) {
                List<DeadLetterRecord> letters = SyncSchema.dsl(ds).selectFrom(DEAD_LETTER)
                        .where(all ? DEAD_LETTER.STATUS.isNotNull() : DEAD_LETTER.STATUS.eq("open")).orderBy(DEAD_LETTER.ID).fetch();
                PrintWriter out = spec.commandLine().getOut();
                if (letters.isEmpty()) {
                    out.println(all ? "no dead letters" : "no open dead letters");
                    return GeofaSync.OK;
                }
                out.printf("%-6s %-16s %-9s %-24s %-10s %-4s %-14s %s%n", "ID", "CREATED", "STATUS", "TABLE", "KEY", "OP", "COLUMN", "REASON");
                for (DeadLetterRecord d : letters) {
                    out.printf("%-6d %-16s %-9s %-24s %-10s %-4s %-14s %s%n", d.getId(), d.getCreatedAt().format(TIME), d.getStatus(),
                            printable(d.getSourceTable()), printable(d.getRowKey()), d.getOp(), Optional.ofNullable(d.getColumnName()).orElse("-"),
                            printable(d.getReason()));
                }
                return letters.stream().anyMatch(d -> d.getStatus().equals("open")) ? GeofaSync.PROBLEMS : GeofaSync.OK;
            }
        }
    }

    /** {@code dead-letters show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "One dead letter in full: reason, GeoFA's message, the event.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        long id;
        @Mixin
        MappingOption mapping;
        @Mixin
        DatabaseOptions database;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            // without a readable mapping nothing says which values are personal: then none is shown
            Optional<Mapping> loaded = mapping.loadIfReadable();
            try (HikariDataSource ds = database.open("dead-letters", 1)) {
                DeadLetterRecord d = SyncSchema.dsl(ds).selectFrom(DEAD_LETTER).where(DEAD_LETTER.ID.eq(id)).fetchOptional()
                        .orElseThrow(() -> new IllegalArgumentException("there is no dead letter #" + id));
                PrintWriter out = spec.commandLine().getOut();
                out.println("dead letter #" + d.getId() + " (" + d.getStatus() + ", " + d.getAttempts() + " attempt(s))");
                out.println("  object:   " + printable(d.getSourceTable() + " " + d.getRowKey())
                        + (d.getObjektId() == null ? "" : ", objekt_id " + d.getObjektId()));
                out.println("  change:   " + d.getOp() + " (event " + printable(d.getEventId()) + "), theme " + Optional.ofNullable(d.getTheme()).orElse("-"));
                out.println("  column:   " + Optional.ofNullable(d.getColumnName()).orElse("-"));
                out.println("  reason:   " + printable(d.getReason()));
                out.println("  GeoFA:    " + Optional.ofNullable(d.getGeofaMessage())
                        .map(m -> m.lines().map(DeadLetterCommands::printable).collect(Collectors.joining("\n            "))).orElse("-"));
                out.println("  created:  " + d.getCreatedAt().format(TIME) + "   updated: " + d.getUpdatedAt().format(TIME));
                out.println("  event:    " + printable(MaskedEvent.of(d.getPayload().data(), loaded.flatMap(m -> m.table(d.getSourceTable())))));
                return GeofaSync.OK;
            }
        }
    }

    /** {@code dead-letters retry ID | --all}. */
    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = {"Send the object's CURRENT VK state again, for when the cause was fixed on GeoFA's side (a fixed",
                "VK row syncs by itself and supersedes its letters). The object's open letters are marked resolved;",
                "if GeoFA refuses again, a new letter opens with the new reason."})
    static final class Retry implements Callable<Integer> {
        @Parameters(paramLabel = "ID", arity = "0..1")
        Long id;
        @Option(names = "--all", description = "every open letter")
        boolean all;
        @Mixin
        MappingOption mapping;
        @Mixin
        DatabaseOptions database;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if ((id == null) == !all) {
                throw new IllegalArgumentException("give one dead letter ID, or --all");
            }
            Mapping loaded = mapping.load();
            try (HikariDataSource ds = database.open("dead-letters", 2)) {
                PrintWriter out = spec.commandLine().getOut();
                for (DeadLetterActions.Retried r : new DeadLetterActions(ds).retry(loaded, Optional.ofNullable(id))) {
                    out.printf("%s %s: its current state is queued again (outbox #%d); %d letter(s) resolved%n", r.table(), r.key(), r.outboxId(), r.resolved());
                }
                return GeofaSync.OK;
            }
        }
    }

    /** {@code dead-letters discard ID...}. */
    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = {"Give open letters up: nothing is sent, the letters close as discarded (and are purged after the",
                "retention). For letters nothing can fix, e.g. an unreadable event, or an object handled by hand in GeoFA."})
    static final class Discard implements Callable<Integer> {
        @Parameters(paramLabel = "ID", arity = "1..*")
        List<Long> ids;
        @Mixin
        DatabaseOptions database;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (HikariDataSource ds = database.open("dead-letters", 1)) {
                DeadLetterActions letters = new DeadLetterActions(ds);
                PrintWriter out = spec.commandLine().getOut();
                int result = GeofaSync.OK;
                for (long id : ids) {
                    DeadLetterActions.Discarded d = letters.discard(id);
                    switch (d) {
                        case DISCARDED -> out.printf("dead letter #%d discarded%n", id);
                        case NOT_OPEN -> out.printf("dead letter #%d: not open, left as it is%n", id);
                        case NONE -> out.printf("dead letter #%d: there is none%n", id);
                    }
                    if (d != DeadLetterActions.Discarded.DISCARDED) {
                        result = GeofaSync.PROBLEMS;
                    }
                }
                return result;
            }
        }
    }
}
