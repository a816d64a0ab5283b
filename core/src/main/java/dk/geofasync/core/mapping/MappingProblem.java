package dk.geofasync.core.mapping;

import java.util.Optional;

/** One thing wrong with a mapping file, naming the file, the table and the column where it can. */
public record MappingProblem(String source, Optional<String> table, Optional<String> column, String message) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(source);
        table.ifPresent(t -> s.append(": table ").append(t));
        column.ifPresent(c -> s.append(table.isPresent() ? ", " : ": ").append("column ").append(c));
        return s.append(": ").append(message).toString();
    }
}
