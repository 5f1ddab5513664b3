package io.driftwatch.localkube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a kubeconfig file for one client-certificate user of the local API server (kubectl and fabric8 read it). */
final class Kubeconfig {

    private Kubeconfig() {}

    static Path write(Path file, String server, Path caCert, LocalPki.Client user) {
        return write(
                file,
                server,
                caCert,
                "client-certificate-data: " + LocalPki.base64(user.cert()) + "\n    client-key-data: "
                        + LocalPki.base64(user.key()));
    }

    /** A kubeconfig for a bearer-token user (a ServiceAccount's token). */
    static Path writeToken(Path file, String server, Path caCert, String token) {
        return write(file, server, caCert, "token: " + token);
    }

    private static Path write(Path file, String server, Path caCert, String credentials) {
        String text = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: local
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: user
                  user:
                    %s
                contexts:
                - name: local
                  context:
                    cluster: local
                    user: user
                    namespace: default
                current-context: local
                """.formatted(server, LocalPki.base64(caCert), credentials);
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
