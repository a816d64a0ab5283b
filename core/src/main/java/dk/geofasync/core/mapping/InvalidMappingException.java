package dk.geofasync.core.mapping;

import java.util.List;
import java.util.stream.Collectors;

/** A mapping file that cannot be used; lists every problem found, not just the first. */
public class InvalidMappingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<MappingProblem> problems;

    public InvalidMappingException(List<MappingProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidMappingException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.problems = List.of(new MappingProblem(source, java.util.Optional.empty(), java.util.Optional.empty(), message));
    }

    public List<MappingProblem> problems() {
        return problems;
    }

    private static String describe(List<MappingProblem> problems) {
        String head = problems.size() == 1 ? "The mapping has a problem:" : "The mapping has " + problems.size() + " problems:";
        return problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n", head + "\n", ""));
    }
}
