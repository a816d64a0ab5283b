package dk.geofasync.sandbox.geofa;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Access and refresh tokens of the fake GeoFA, with GeoFA's one-hour lifetime by default. */
final class Tokens {

    /** A granted token pair. */
    record Grant(String accessToken, String refreshToken, long expiresInSeconds) {
    }

    private record Access(String user, Instant expires) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Access> access = new ConcurrentHashMap<>();
    private final Map<String, String> refresh = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration lifetime;

    Tokens(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    Grant grant(String user) {
        String token = newToken();
        String refreshToken = newToken();
        access.put(token, new Access(user, clock.instant().plus(lifetime)));
        refresh.put(refreshToken, user);
        return new Grant(token, refreshToken, lifetime.toSeconds());
    }

    /** A new pair for a refresh token; the old refresh token is used up. */
    Optional<Grant> refresh(String refreshToken) {
        String user = refreshToken == null ? null : refresh.remove(refreshToken);
        return Optional.ofNullable(user).map(this::grant);
    }

    /** The user of a valid access token. */
    Optional<String> user(String token) {
        Access a = token == null ? null : access.get(token);
        if (a == null || !clock.instant().isBefore(a.expires())) {
            return Optional.empty();
        }
        return Optional.of(a.user());
    }

    boolean known(String token) {
        return token != null && access.containsKey(token);
    }

    /** Every access token issued so far expires now (refresh tokens stay valid). */
    void expireAll() {
        Instant now = clock.instant();
        access.replaceAll((t, a) -> new Access(a.user(), now));
    }

    private String newToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
