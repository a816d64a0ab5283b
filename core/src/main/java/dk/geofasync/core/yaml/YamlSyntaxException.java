package dk.geofasync.core.yaml;

/** A configuration file that is not well-formed YAML of the expected shape; the message names file and line. */
public class YamlSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String detail;

    public YamlSyntaxException(String source, String detail, Throwable cause) {
        super(source + ": " + detail, cause);
        this.detail = detail;
    }

    /** The message without the source name, e.g. {@code line 12: unknown key 'tabel'}. */
    public String detail() {
        return detail;
    }
}
