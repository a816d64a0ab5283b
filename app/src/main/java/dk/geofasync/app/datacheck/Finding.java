package dk.geofasync.app.datacheck;

import dk.geofasync.core.fkg.ValueCheck;
import java.util.Optional;

/**
 * One value of one VK row GeoFA would refuse.
 *
 * @param table the VK table, {@code schema.table}
 * @param key the row's key
 * @param column the VK column to fix
 * @param geofaColumn the GeoFA column it is sent to
 * @param rule which kind of rule it breaks
 * @param reason the rule in plain words (never the value)
 * @param value the value as it would be sent (after the mapping's transforms and value map); empty when there is none
 *        or when {@code masked}
 * @param masked whether the mapping marks the column {@code sensitive} (personal data): its value is not shown
 */
public record Finding(String table, String key, String column, String geofaColumn, ValueCheck.Rule rule, String reason,
                      Optional<String> value, boolean masked) {

    @Override
    public String toString() {
        return table + " " + key + ", column " + column + ": " + reason; // never the value
    }
}
