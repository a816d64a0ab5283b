package dk.geofasync.app.datacheck;

import dk.geofasync.core.mapping.TableMapping;

/** Where {@link DataCheck} reports, as it goes: one table after the other, each refused value the moment it is found. */
public interface Findings {

    /** Reading {@code table} begins. */
    void tableStarted(TableMapping table);

    void refused(Finding finding);

    /** {@code table} is read: {@code rows} rows, {@code refusedRows} of them with at least one finding. */
    void tableDone(TableMapping table, long rows, long refusedRows);

    /** Every table is read. */
    void done(long rows, long refusedRows);
}
