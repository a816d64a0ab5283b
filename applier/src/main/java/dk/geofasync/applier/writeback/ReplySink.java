package dk.geofasync.applier.writeback;

import dk.geofasync.core.event.Reply;
import java.util.List;

/** Where the applier sends GeoFA's objekt_id of new objects: the replies topic, or straight to {@link WriteBack}. */
public interface ReplySink {

    /** Sends the replies and returns once they are safe (acknowledged or written). */
    void sendAll(List<Reply> replies);

    default void send(Reply reply) {
        sendAll(List.of(reply));
    }
}
