package dk.geofasync.applier.apply;

/**
 * A value of the VK row itself cannot go to GeoFA (an objekt_id that is not a UUID): the event goes
 * to dead letters naming the column. Kept apart from {@link IllegalArgumentException}, which stays
 * what it is, a fault in geofa-sync, so that it never turns into a ticket for staff.
 */
final class InvalidValueException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String vkColumn;

    InvalidValueException(String vkColumn, String message) {
        super(message);
        this.vkColumn = vkColumn;
    }

    String vkColumn() {
        return vkColumn;
    }
}
