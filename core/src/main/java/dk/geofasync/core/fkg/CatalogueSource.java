package dk.geofasync.core.fkg;

/**
 * Where a catalogue was generated from: the model (e.g. OpenFKG/fkg-postgresql at a commit, or a live
 * GeoFA), the database or address read, when, and by which geofa-sync version.
 */
public record CatalogueSource(String model, String revision, String readFrom, String generatedAt, String generator) {
}
