package io.driftwatch.localkube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a kubeconfig file for one client-certificate user of the local API server (kubectl and fabric8 read it). */
final class Kubeconfig {

    private Kubeconfig() {}

    static Path write(Path file, String server, Path caCert, LocalPki.Client user) {
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
                    client-certificate-data: %s
                    client-key-data: %s
                contexts:
                - name: local
                  context:
                    cluster: local
                    user: user
                    namespace: default
                current-context: local
                """.formatted(
                        server, LocalPki.base64(caCert), LocalPki.base64(user.cert()), LocalPki.base64(user.key()));
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
