package io.driftwatch.emit.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.config.AgentConfig;
import io.driftwatch.localkube.TestPki;
import io.driftwatch.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's TLS listener (PEM files) and the agent's client trusting a custom CA, the JVM's CAs, or anything. */
class HubTlsIT {

    private static final String HEARTBEAT = "{\"agentId\":\"a\",\"version\":\"1\",\"labels\":{\"env\":\"prod\"}}";

    @Test
    void agentTrustsTheHubThroughItsCaFileAndRefusesItOtherwiseUnlessInsecure(@TempDir Path tmp) throws Exception {
        TestPki.Pem pem = TestPki.create(tmp.resolve("pki"));
        Path token = Files.writeString(tmp.resolve("token"), TestHub.token("edge") + "\n");
        String tls = TestHub.sqlite(tmp.resolve("hub.db")) + "listen: {host: 127.0.0.1, port: 0, tlsCertFile: '"
                + pem.servingCert() + "', tlsKeyFile: '" + pem.servingKey() + "'}\n";
        try (TestHub hub = TestHub.start(tls, List.of("edge"))) {
            String url = "https://127.0.0.1:" + hub.port();

            HubClient trusting = new HubClient(hub(url, token, pem.caCert(), false));
            HubClient.Response r = trusting.post("edge", "heartbeat", HEARTBEAT);
            assertThat(r.status()).as(r.body()).isEqualTo(200);

            HubClient jvmTrust = new HubClient(hub(url, token, null, false));
            assertThatThrownBy(() -> jvmTrust.post("edge", "heartbeat", HEARTBEAT))
                    .isInstanceOf(SSLHandshakeException.class);

            HubClient insecure = new HubClient(hub(url, token, null, true));
            assertThat(insecure.post("edge", "heartbeat", HEARTBEAT).status()).isEqualTo(200);

            Files.writeString(token, "rotated-and-wrong\n");
            assertThat(trusting.post("edge", "heartbeat", HEARTBEAT).status())
                    .as("token re-read per request")
                    .isEqualTo(401);
        }
    }

    private static AgentConfig.Hub hub(String url, Path token, Path ca, boolean insecure) {
        return new AgentConfig.Hub(
                url, token, ca, insecure, null, null, null, null, null, null, null, null, null, null);
    }
}
