package dk.geofasync.app.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a running instance does for its consumer group, as {@code /health/*} and {@code /status.json}
 * show it: {@code active} (all partitions, alone) or {@code shared} (the partitions it holds, side by
 * side with other instances, and those it waits to take over). A standby says so itself.
 */
public record InstanceRole(String role, List<Integer> partitions, List<Integer> waitingFor) {

    /** The only applier of its group. */
    public static final InstanceRole ACTIVE = new InstanceRole("active", List.of(), List.of());

    public InstanceRole {
        partitions = List.copyOf(partitions);
        waitingFor = List.copyOf(waitingFor);
    }

    /** One of the instances sharing the group's partitions: those it applies, and those it waits to take over. */
    public static InstanceRole shared(List<Integer> partitions, List<Integer> waitingFor) {
        return new InstanceRole("shared", partitions, waitingFor);
    }

    /** Adds the role (and, when sharing, the partitions) to {@code node}; returns it. */
    public ObjectNode writeTo(ObjectNode node) {
        node.put("role", role);
        if (!this.equals(ACTIVE)) {
            ArrayNode applied = node.putArray("partitions");
            partitions.forEach(applied::add);
            ArrayNode waiting = node.putArray("partitions_waiting");
            waitingFor.forEach(waiting::add);
        }
        return node;
    }
}
