package dk.geofasync.app.action;

import dk.geofasync.core.config.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may take the service's HTTP actions: user names with their passwords, from a file
 * ({@code name:password} a line) or from the environment (one user); none means the actions are off.
 */
public final class ActionUsers {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final Map<String, Secret> users;

    private ActionUsers(Map<String, Secret> users) {
        this.users = Map.copyOf(users);
    }

    /** No one: the actions are off. */
    public static ActionUsers none() {
        return new ActionUsers(Map.of());
    }

    /** One user, as the environment gives them. */
    public static ActionUsers of(String name, Secret password) {
        return new ActionUsers(Map.of(checkedName(name, "GEOFA_SYNC_HTTP_USER"), checkedPassword(password, "GEOFA_SYNC_HTTP_PASSWORD")));
    }

    /**
     * The users of a file: a line {@code name:password} each; blank lines and lines starting with
     * {@code #} are skipped. A line that is neither is refused by its number, never by its text.
     */
    public static ActionUsers fromFile(Path file) {
        java.util.List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the HTTP users file " + file + ": " + e.getClass().getSimpleName());
        }
        Map<String, Secret> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = file + " line " + (i + 1);
            if (colon < 1) {
                throw new IllegalArgumentException(where + ": expected name:password");
            }
            String name = checkedName(line.substring(0, colon), where);
            if (users.put(name, checkedPassword(Secret.of(line.substring(colon + 1)), where)) != null) {
                throw new IllegalArgumentException(where + ": user " + name + " is named twice");
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("the HTTP users file " + file + " names no user");
        }
        return new ActionUsers(users);
    }

    private static String checkedName(String name, String where) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": a user name is 1-64 letters, digits or . _ @ -");
        }
        return name;
    }

    private static Secret checkedPassword(Secret password, String where) {
        if (password.reveal().length() < 12) {
            throw new IllegalArgumentException(where + ": a password has at least 12 characters");
        }
        return password;
    }

    /** Whether anyone may take actions. */
    public boolean any() {
        return !users.isEmpty();
    }

    /**
     * The user these credentials are, if they are right. Compared in constant time over digests, so
     * neither a name's nor a password's length or prefix shows in the answer's timing.
     */
    public Optional<String> check(String name, String password) {
        byte[] given = digest(password);
        boolean found = false;
        String who = null;
        for (Map.Entry<String, Secret> u : users.entrySet()) {
            boolean same = MessageDigest.isEqual(digest(u.getKey()), digest(name)) & MessageDigest.isEqual(digest(u.getValue().reveal()), given);
            if (same && !found) {
                found = true;
                who = u.getKey();
            }
        }
        return Optional.ofNullable(who);
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
