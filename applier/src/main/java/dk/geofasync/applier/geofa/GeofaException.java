package dk.geofasync.applier.geofa;

/**
 * Why a statement did not simply succeed, in the three kinds the applier must tell apart:
 * {@link Rejected} (GeoFA refused it: nothing applied, sending it again fails again),
 * {@link Unavailable} (GeoFA did not apply it and tries ran out: safe to send again later), and
 * {@link OutcomeUnknown} (it may or may not have been applied: a create must be looked up, not resent).
 */
public abstract sealed class GeofaException extends RuntimeException
        permits GeofaException.Rejected, GeofaException.Unavailable, GeofaException.OutcomeUnknown, GeofaException.LoginFailed {

    private static final long serialVersionUID = 1L;

    GeofaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** GeoFA refused the statement with its own message (a constraint, a rule, bad SQL); nothing was applied. */
    public static final class Rejected extends GeofaException {
        private static final long serialVersionUID = 1L;
        private final String geofaMessage;

        Rejected(String geofaMessage) {
            super("GeoFA refused the statement: " + geofaMessage, null);
            this.geofaMessage = geofaMessage;
        }

        /** A refusal the writer reads from GeoFA's answer rather than from an error (an object GeoFA will not make). */
        public static Rejected of(String reason) {
            return new Rejected(reason);
        }

        /** GeoFA's message, verbatim (PostgreSQL's text, with its DETAIL line where GeoFA gives one). */
        public String geofaMessage() {
            return geofaMessage;
        }
    }

    /** GeoFA answered that it did not apply the statement (busy, throttled, failing) every time it was tried. */
    public static final class Unavailable extends GeofaException {

        /**
         * Not sent at all, because staff paused the applier: the events wait on Kafka as when GeoFA is
         * away, and nothing of theirs can have reached GeoFA.
         */
        public static Unavailable pausedByStaff() {
            return new Unavailable("not sent: the applier is paused by staff (sync.applier_pause)", null, null);
        }

        private static final long serialVersionUID = 1L;
        private final String geofaError;

        Unavailable(String message, Throwable cause) {
            this(message, cause, null);
        }

        Unavailable(String message, Throwable cause, String geofaError) {
            super(message, cause);
            this.geofaError = geofaError;
        }

        /**
         * GeoFA's own error message when its last answer was an error it did not explain as a refusal
         * (HTTP 500 with a message no rule matches): the statement's data may be the cause. Empty when
         * GeoFA was throttling, out of service or out of reach.
         */
        public java.util.Optional<String> geofaError() {
            return java.util.Optional.ofNullable(geofaError);
        }
    }

    /** No usable answer (timeout, dropped connection, a gateway error): the statement may have been applied. */
    public static final class OutcomeUnknown extends GeofaException {
        private static final long serialVersionUID = 1L;

        public OutcomeUnknown(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** GeoFA refused the login; the message names the user, never the password. */
    public static final class LoginFailed extends GeofaException {
        private static final long serialVersionUID = 1L;

        LoginFailed(String message) {
            super(message, null);
        }
    }
}
