package dk.geofasync.sandbox.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for a test broker that wants mutual TLS: a throw-away CA, the broker's key and
 * certificate (for localhost and 127.0.0.1), a client's (CN=geofa-sync) and a truststore with the
 * CA, all PKCS12 under one folder. Made with the JDK's own {@code keytool}, so no certificate
 * library is needed for tests.
 *
 * @param truststore the CA's certificate, trusted by the broker and the client
 * @param brokerKeystore the broker's key and CA-signed certificate
 * @param clientKeystore the client's key and CA-signed certificate
 * @param password the password of every store and key (a test secret)
 */
public record TlsMaterial(Path truststore, Path brokerKeystore, Path clientKeystore, String password) {

    /** Makes the CA and the three stores in {@code dir} (created if absent). */
    public static TlsMaterial create(Path dir) {
        String password = "geofa-sync-test-tls";
        try {
            Files.createDirectories(dir);
            Path ca = dir.resolve("ca.p12");
            Path caCert = dir.resolve("ca.pem");
            Path trust = dir.resolve("truststore.p12");
            keytool(password, "-genkeypair", "-keystore", ca, "-alias", "ca", "-dname", "CN=geofa-sync test CA", "-ext", "bc:c");
            keytool(password, "-exportcert", "-rfc", "-keystore", ca, "-alias", "ca", "-file", caCert);
            keytool(password, "-importcert", "-noprompt", "-keystore", trust, "-alias", "ca", "-file", caCert);
            Path broker = signed(dir, "broker", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", ca, caCert, password);
            Path client = signed(dir, "client", "CN=geofa-sync", null, ca, caCert, password);
            return new TlsMaterial(trust, broker, client, password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make test certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A keystore with a new key whose certificate the CA signed, the CA's certificate before it in the chain. */
    private static Path signed(Path dir, String name, String dname, String san, Path ca, Path caCert, String password) throws IOException {
        Path store = dir.resolve(name + ".p12");
        Path request = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        keytool(password, "-genkeypair", "-keystore", store, "-alias", name, "-dname", dname);
        keytool(password, "-certreq", "-keystore", store, "-alias", name, "-file", request);
        List<Object> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-keystore", ca, "-alias", "ca", "-infile", request, "-outfile", cert));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        keytool(password, sign.toArray());
        keytool(password, "-importcert", "-noprompt", "-keystore", store, "-alias", "ca", "-file", caCert);
        keytool(password, "-importcert", "-noprompt", "-keystore", store, "-alias", name, "-file", cert);
        return store;
    }

    private static void keytool(String password, Object... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        for (Object a : args) {
            command.add(a.toString());
        }
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "RSA", "-keysize", "2048", "-validity", "30"));
        }
        // no input: a tool that asks a question gets end-of-file and fails instead of waiting for ever
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
