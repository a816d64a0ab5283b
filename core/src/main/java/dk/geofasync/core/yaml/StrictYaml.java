package dk.geofasync.core.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads configuration YAML into records, refusing what a person most often gets wrong: a misspelt
 * key, a key given twice, a list where one value belongs. Errors name the file, line and key.
 */
public final class StrictYaml {

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictYaml() {
    }

    /**
     * Reads {@code in} as a {@code type}.
     *
     * @param sourceName what to call the input in messages, usually the file name
     * @throws YamlSyntaxException naming the source, line and key at fault
     */
    public static <T> T read(String sourceName, InputStream in, Class<T> type) {
        try {
            T value = MAPPER.readValue(in, type);
            if (value == null) {
                throw new YamlSyntaxException(sourceName, "the file is empty", null);
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new YamlSyntaxException(sourceName, where(e) + "unknown key '" + e.getPropertyName()
                    + "'; allowed here: " + e.getKnownPropertyIds(), e);
        } catch (JsonProcessingException e) {
            throw new YamlSyntaxException(sourceName, where(e) + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new YamlSyntaxException(sourceName, "cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Where the error is: the path of keys when Jackson knows it (records are read as a whole, so
     * the parser's line would point at the end of the entry), else the line.
     */
    private static String where(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : " > ").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append(" #").append(ref.getIndex() + 1);
                }
            }
            return "at " + path + ": ";
        }
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? "" : "line " + location.getLineNr() + ": ";
    }
}
