package dk.geofasync.applier.writeback;

import dk.geofasync.core.event.Reply;

/** Where the applier sends GeoFA's objekt_id of a new object: the replies topic, or straight to {@link WriteBack}. */
public interface ReplySink {
    void send(Reply reply);
}
