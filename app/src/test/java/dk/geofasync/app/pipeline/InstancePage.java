package dk.geofasync.app.pipeline;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a {@code geofa-sync run} child process says of itself on {@code /health/live}, for the tests that run several. */
final class InstancePage {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ROLE = Pattern.compile("\"role\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern PARTITIONS = Pattern.compile("\"partitions\"\\s*:\\s*\\[([^\\]]*)]");

    private InstancePage() {
    }

    /** The role the instance on {@code port} reports, if it answers. */
    static Optional<String> role(int port) {
        return live(port).flatMap(body -> {
            Matcher m = ROLE.matcher(body);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        });
    }

    /** How many partitions the instance on {@code port} applies, if it answers and shares them. */
    static Optional<Integer> partitions(int port) {
        return live(port).flatMap(body -> {
            Matcher m = PARTITIONS.matcher(body);
            return m.find() ? Optional.of(m.group(1).isBlank() ? 0 : m.group(1).split(",").length) : Optional.empty();
        });
    }

    private static Optional<String> live(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(r.body());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** {@code n} different free ports (all held open while asked, so none twice). */
    static List<Integer> freePorts(int n) throws Exception {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
