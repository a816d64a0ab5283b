package dk.geofasync.sandbox.geofa;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The fake GeoFA's code lists (allowed values of code-list columns), from {@code fkg-codelists.yml}. */
public final class CodeLists {

    private static final CodeLists STANDARD = load();

    private final Map<String, Map<Integer, String>> lists;

    private CodeLists(Map<String, Map<Integer, String>> lists) {
        this.lists = lists;
    }

    public static CodeLists standard() {
        return STANDARD;
    }

    /** Every list, by name; each maps code to its text (begrebsværdi). */
    public Map<String, Map<Integer, String>> all() {
        return lists;
    }

    /** The codes of one list, in ascending order. */
    public List<Integer> codes(String list) {
        Map<Integer, String> values = lists.get(list);
        if (values == null) {
            throw new IllegalArgumentException("no code list " + list);
        }
        return List.copyOf(values.keySet());
    }

    private static CodeLists load() {
        try (InputStream in = CodeLists.class.getResourceAsStream("fkg-codelists.yml")) {
            Map<String, TreeMap<Integer, String>> read = new ObjectMapper(new YAMLFactory())
                    .readValue(in, new TypeReference<Map<String, TreeMap<Integer, String>>>() { });
            Map<String, Map<Integer, String>> lists = new TreeMap<>();
            read.forEach((name, values) -> lists.put(name, java.util.Collections.unmodifiableMap(values)));
            return new CodeLists(java.util.Collections.unmodifiableMap(lists));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fkg-codelists.yml", e);
        }
    }
}
