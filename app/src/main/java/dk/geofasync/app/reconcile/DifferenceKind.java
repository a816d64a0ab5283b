package dk.geofasync.app.reconcile;

import java.util.Locale;

/** The kinds of difference reconcile finds between a VK table and GeoFA, in the order a report lists them. */
public enum DifferenceKind {
    /** The object's columns differ, and GeoFA holds a version the sync did not write: someone edited it in GeoFA. VK wins. */
    CHANGED_IN_GEOFA,
    /** The object's columns differ from VK's row, and GeoFA holds the version the sync last wrote: a VK change never reached GeoFA. */
    STALE,
    /** The VK row has no object in GeoFA: no objekt_id, or one GeoFA closed. */
    MISSING,
    /** GeoFA holds the row's object (its noegle), but the objekt_id never reached the VK row. */
    NOT_WRITTEN_BACK,
    /** The VK row is gone (the sync knew it), its object is still current in GeoFA. */
    DELETED_IN_VK,
    /** A GeoFA object carries this table's noegle, and no VK row nor the sync knows it. A person decides (--delete-orphans). */
    ORPHAN,
    /** Two VK rows name one objekt_id, one noegle is on two objects, or the row names another object than its noegle's. A person decides. */
    LINKED_TWICE,
    /** The row names an objekt_id GeoFA shows neither current nor closed: its read rules may hide it. Never created anew. */
    NOT_VISIBLE,
    /** With --link: the row fits more than one object, or its object fits other rows too. Never guessed: a person decides. */
    AMBIGUOUS,
    /**
     * The row names a current object that lacks the row's noegle (made before geofa-sync): compared,
     * but found by objekt_id each time until --repair writes the noegle (only into an empty one).
     */
    NO_NOEGLE,
    /** With --link (a note, not a difference): the row was linked to an object already in GeoFA, by the mapping's match rule. */
    LINKED;

    /** Whether it counts as a difference; the notes (no_noegle, linked) do not. */
    public boolean isDifference() {
        return this != NO_NOEGLE && this != LINKED;
    }

    /** The name in sync.reconcile_table, the JSON report and the text report: lower case with underscores. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
