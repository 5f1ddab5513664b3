package io.driftwatch.localkube;

import java.nio.file.Path;

/** The local PKI's CA and serving certificate (127.0.0.1, localhost) for tests of other TLS listeners. */
public final class TestPki {

    /** PEM files: the CA certificate, a serving certificate for 127.0.0.1 signed by it, and its key. */
    public record Pem(Path caCert, Path servingCert, Path servingKey) {}

    private TestPki() {}

    public static Pem create(Path dir) {
        LocalPki.Files f = LocalPki.create(dir);
        return new Pem(f.caCert(), f.servingCert(), f.servingKey());
    }
}
