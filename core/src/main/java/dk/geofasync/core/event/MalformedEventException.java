package dk.geofasync.core.event;

/** An event that cannot be read; not retriable: the event goes to dead letters with this message. */
public class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super("malformed change event: " + message);
    }
}
