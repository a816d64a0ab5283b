package dk.geofasync.applier.apply;

import dk.geofasync.applier.deadletter.RejectionReason;
import dk.geofasync.core.event.ColumnValues;
import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgTheme;
import dk.geofasync.core.fkg.ValueCheck;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What GeoFA would refuse of one VK row, judged by the FKG catalogue's rules before anything is
 * sent: the values exactly as {@link GeofaValues} would send them (through {@link ColumnMapping#apply}:
 * transforms, value map, scale), each against its GeoFA column ({@link ValueCheck}), and the geometry
 * ({@link GeometryCheck}). The applier files what it finds as a dead letter without a GeoFA request;
 * {@code geofa-sync check-data} lists it for staff before the sync ever sees the row.
 */
public final class RowCheck {

    private final FkgCatalogue catalogue;

    public RowCheck(FkgCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * One rule a row breaks.
     *
     * @param vkColumn the VK column to fix
     * @param geofaColumn the GeoFA column it is sent to
     * @param constraint GeoFA's constraint for the rule, when it has a named one
     * @param reason the rule in plain words, without column or value (staff see those beside it)
     * @param letterReason the same in the words a dead letter uses when GeoFA itself refuses
     *        ({@link RejectionReason#explain}): the GeoFA column and, unless the mapping marks it
     *        {@code sensitive}, the value; whoever caught it, staff read one wording
     */
    public record Refusal(String vkColumn, String geofaColumn, ValueCheck.Rule rule, Optional<String> constraint, String reason,
                          String letterReason) {

        /** As a dead letter's reason, naming the VK column. */
        public RejectionReason asRejection() {
            return new RejectionReason(Optional.of(vkColumn), letterReason);
        }
    }

    /**
     * What a create of a new object from {@code afterImage} would break: every required column must
     * have a value (constants count), and every mapped value must fit its column. The geometry's
     * shape is judged by {@link #ofGeometry}, apart, because the applier judges it for every event.
     */
    public List<Refusal> ofCreate(TableMapping table, ColumnValues afterImage) {
        List<Refusal> refusals = new ArrayList<>();
        for (ColumnMapping c : table.columns()) {
            // a constant wins over a mapped value on a create (GeofaValues.forCreate); the mapping check judged it
            if (!table.constants().containsKey(c.geofaColumn())) {
                check(table, c, afterImage).ifPresent(refusals::add);
            }
        }
        return refusals;
    }

    /**
     * What an update sending the mapped columns among {@code vkColumns} would break (an update sends
     * only what changed, so only that is judged; a required column counts only when it is sent empty).
     */
    public List<Refusal> ofUpdate(TableMapping table, ColumnValues afterImage, Set<String> vkColumns) {
        List<Refusal> refusals = new ArrayList<>();
        for (ColumnMapping c : table.columns()) {
            // the same choice as GeofaValues.forUpdate: a column the event does not carry is not sent
            if (vkColumns.contains(c.vkColumn()) && afterImage.has(c.vkColumn())) {
                check(table, c, afterImage).ifPresent(refusals::add);
            }
        }
        return refusals;
    }

    /** What is wrong with the row's geometry (GeoJSON, as the relay makes it), if anything; an absent one is a matter for required. */
    public Optional<Refusal> ofGeometry(TableMapping table, ColumnValues afterImage) {
        return GeometryCheck.problem(table, afterImage).map(r -> new Refusal(r.column().orElseThrow(), FkgTheme.GEOMETRY_COLUMN,
                ValueCheck.Rule.GEOMETRY, Optional.empty(), r.reason(), r.reason()));
    }

    private Optional<Refusal> check(TableMapping table, ColumnMapping c, ColumnValues values) {
        Optional<FkgColumn> column = table.theme().column(c.geofaColumn());
        if (column.isEmpty()) {
            return Optional.empty(); // the validated mapping names only the theme's columns
        }
        Optional<String> sent = c.apply(values.value(c.vkColumn()));
        if (sent.isEmpty()) {
            return column.get().required()
                    ? Optional.of(new Refusal(c.vkColumn(), c.geofaColumn(), ValueCheck.Rule.REQUIRED, Optional.empty(),
                            "required by GeoFA but has no value", c.geofaColumn() + " is required by GeoFA but has no value"))
                    : Optional.empty();
        }
        if (c.geofaColumn().equals(FkgTheme.GEOMETRY_COLUMN)) {
            return Optional.empty(); // its shape is GeometryCheck's: ofGeometry
        }
        return ValueCheck.check(catalogue, column.get(), sent.get()).map(p -> new Refusal(c.vkColumn(), c.geofaColumn(), p.rule(),
                p.constraint(), p.reason(), letterReason(table, column.get(), p, sent.get())));
    }

    /** The wording of {@link RejectionReason#explain} for the same refusal, so a letter reads alike whether GeoFA or the check found it. */
    private static String letterReason(TableMapping table, FkgColumn column, ValueCheck.Problem p, String value) {
        String name = column.name();
        // the value says what to fix, unless it is personal: then the column must do
        String shown = table.sensitiveColumns().contains(name) ? "" : " = " + shown(value);
        return switch (p.rule()) {
            case CODE_LIST -> name + shown + " is not a value of GeoFA's code list " + column.codeList().orElse("?");
            case CHECK -> name + shown + " is outside what GeoFA allows (it "
                    + column.checks().stream().filter(c -> p.constraint().map(c.name()::equals).orElse(false)).findFirst()
                            .map(c -> "must be " + c.describe()).orElse(p.reason()) + ")";
            case LENGTH -> name + " has " + value.codePointCount(0, value.length()) + " characters; GeoFA allows " + column.maxLength().orElse(0);
            default -> name + shown + ": " + p.reason();
        };
    }

    /** A value as a reason may hold it: one line, at most 60 characters (a long text says nothing more there). */
    private static String shown(String value) {
        String line = value.replaceAll("\\p{Cntrl}", " ");
        return line.codePointCount(0, line.length()) <= 60 ? line : line.substring(0, line.offsetByCodePoints(0, 59)) + "…";
    }
}
