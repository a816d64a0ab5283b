package dk.geofasync.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings from a YAML file as the defaults of the command line's options: {@code --config FILE},
 * else the file named by {@code GEOFA_SYNC_CONFIG}, else {@code ./application.yml} when present.
 * A setting is an option's long name, nested or not ({@code geofa: {url: …}} is {@code geofa-url}).
 * The command line wins over the environment ({@code GEOFA_SYNC_…}), which wins over the file. An
 * unknown setting, or a secret written in the file, stops every command with a message naming it.
 */
public final class ConfigFile implements CommandLine.IDefaultValueProvider {

    public static final String ENV = "GEOFA_SYNC_CONFIG";
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Z0-9_]+)(?::-[^}]*)?}");

    private final Optional<Path> file;
    private final Map<String, String> values;
    private Optional<String> problem;

    private ConfigFile(Optional<Path> file, Map<String, String> values, Optional<String> problem) {
        this.file = file;
        this.values = values;
        this.problem = problem;
    }

    /** The config file the arguments, the environment or the working directory name; none is fine. */
    public static ConfigFile find(String[] args) {
        Optional<Path> path = given(args).or(() -> Optional.ofNullable(System.getenv(ENV)).filter(s -> !s.isBlank())).map(Path::of)
                .or(() -> Optional.of(Path.of("application.yml")).filter(Files::isRegularFile));
        if (path.isEmpty()) {
            return new ConfigFile(Optional.empty(), Map.of(), Optional.empty());
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(path.get()));
            Map<String, String> flat = new LinkedHashMap<>();
            if (root != null && !root.isMissingNode() && !root.isNull()) {
                if (!root.isObject()) {
                    throw new IllegalArgumentException("the file must hold settings (key: value), not " + root.getNodeType());
                }
                flatten("", root, flat);
            }
            return new ConfigFile(path, flat, Optional.empty());
        } catch (IOException | IllegalArgumentException e) {
            return new ConfigFile(path, Map.of(), Optional.of("config file " + path.get() + ": " + e.getMessage().lines().findFirst().orElse("")));
        }
    }

    private static Optional<String> given(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Optional.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Optional.of(args[i].substring("--config=".length()));
            }
        }
        return Optional.empty();
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "-" + e.getKey();
            if (e.getValue().isObject()) {
                flatten(key, e.getValue(), into);
            } else if (e.getValue().isArray()) {
                throw new IllegalArgumentException("setting " + key + " is a list; settings are single values");
            } else if (!e.getValue().isNull()) {
                into.put(key, e.getValue().asText());
            }
        }
    }

    /** Checks every setting against the options of {@code root}'s commands; a problem is reported when a command runs. */
    public ConfigFile checkedAgainst(CommandLine root) {
        if (problem.isPresent()) {
            return this;
        }
        TreeSet<String> known = new TreeSet<>();
        collect(root, known);
        for (String key : values.keySet()) {
            if (key.contains("password") && !key.endsWith("password-file")) {
                problem = Optional.of("config file " + file.orElseThrow() + ": setting " + key + ": secrets are not kept in the config file; "
                        + "use " + key + "-file (a file only the service can read) or the environment");
                return this;
            }
            if (!known.contains(key)) {
                problem = Optional.of("config file " + file.orElseThrow() + ": unknown setting " + key + " (settings are the options' long names, e.g. "
                        + "db-url, kafka-bootstrap, geofa-url, http-port)");
                return this;
            }
        }
        return this;
    }

    private static void collect(CommandLine c, TreeSet<String> known) {
        for (OptionSpec o : c.getCommandSpec().options()) {
            for (String name : o.names()) {
                if (name.startsWith("--")) {
                    known.add(name.substring(2));
                }
            }
        }
        c.getSubcommands().values().forEach(sub -> collect(sub, known));
    }

    public Optional<Path> file() {
        return file;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        if (!(arg instanceof OptionSpec option) || values.isEmpty()) {
            return null;
        }
        String value = null;
        for (String name : option.names()) {
            if (name.startsWith("--") && values.containsKey(name.substring(2))) {
                value = values.get(name.substring(2));
            }
        }
        if (value == null) {
            return null;
        }
        // the environment wins over the file: where the option's default names a variable that is set, keep that
        Matcher env = ENV_DEFAULT.matcher(Optional.ofNullable(option.defaultValue()).orElse(""));
        if (env.find() && System.getenv(env.group(1)) != null) {
            return null;
        }
        return value;
    }
}
