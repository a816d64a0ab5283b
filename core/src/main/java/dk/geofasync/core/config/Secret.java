package dk.geofasync.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A password or token. Its {@code toString} never shows the value, so a secret that ends up in a
 * log line, an exception or a config dump stays secret; only {@link #reveal()} hands it out.
 */
public final class Secret {

    private static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    public static Secret empty() {
        return EMPTY;
    }

    /** Reads a secret from a file (e.g. a Docker or systemd credential), without its trailing newline. */
    public static Secret fromFile(Path file) {
        try {
            return of(Files.readString(file, StandardCharsets.UTF_8).stripTrailing());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + file, e);
        }
    }

    /** From {@code file} when one is given (a Docker or systemd credential), else from environment variable {@code variable}. */
    public static Secret fromFileOrEnvironment(Path file, String variable) {
        return file != null ? fromFile(file) : of(System.getenv(variable));
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(none)" : "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
