package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = new Redactor("key-1".getBytes(StandardCharsets.UTF_8));

    @Test
    void redactsAsAKeyedHashThatKeepsEqualValuesEqual() {
        String a = redactor.redactValue("s3cret");
        assertThat(a).matches("redacted:sha256:[0-9a-f]{12}");
        assertThat(redactor.redactValue("s3cret")).isEqualTo(a);
        assertThat(redactor.redactValue("other")).isNotEqualTo(a);
        assertThat(new Redactor("key-2".getBytes(StandardCharsets.UTF_8)).redactValue("s3cret"))
                .isNotEqualTo(a);
    }

    @Test
    void redactsDataByDecodedBytesSoStringDataAndDataAgree() {
        String encoded = Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8));
        assertThat(redactor.redactDataValue(encoded)).isEqualTo(redactor.redactValue("s3cret"));
        assertThat(redactor.redactDataValue("not base64 !")).isEqualTo(redactor.redactValue("not base64 !"));
    }

    @Test
    void redactsEverySecretValueAndTheLastAppliedAnnotation() {
        var secret = load("secret-desired.yaml");
        Fixtures.set(
                secret,
                "/metadata/annotations",
                "{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"stringData\\\":{\\\"password\\\":\\\"hunter2-plain\\\"}}\"}");
        String redacted = redactor.redact(secret).toString();
        assertThat(redacted).doesNotContain("hunter2", "YWRtaW4=").contains(Redactor.PREFIX);
        assertThat(secret.toString()).as("input untouched").contains("hunter2");
    }

    @Test
    void leavesOtherKindsAlone() {
        var cm = Fixtures.yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: b}}");
        assertThat(redactor.redact(cm)).isEqualTo(cm);
    }

    @Test
    void randomKeyStillKeepsEqualValuesEqualWithinOneRedactor() {
        Redactor random = new Redactor(null);
        assertThat(random.redactValue("x")).isEqualTo(random.redactValue("x"));
    }
}
