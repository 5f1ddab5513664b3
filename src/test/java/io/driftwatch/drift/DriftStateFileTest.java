package io.driftwatch.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftStateFileTest {

    @TempDir
    Path tmp;

    @Test
    void savedOnsetsLoadBack() throws IOException {
        ObjectKey key = new ObjectKey("", "ConfigMap", "shop", "settings");
        Instant onset = Instant.parse("2026-11-21T10:00:00Z");
        Drift drift = new Drift(key, "v1", "shop", DriftType.MISSING, Cause.DELETED, "gone", List.of(), null);
        DriftStateFile file = new DriftStateFile(tmp.resolve("state/drifts.json"));

        file.save(
                List.of(new DriftRecord("id-1", drift, onset, onset, null)),
                Map.of("shop", List.of("apps/Deployment", "/Service"), "billing", Set.of("/ConfigMap")));

        assertThat(file.load()).containsExactly(Map.entry(key, onset));
        assertThat(file.loadAppKinds())
                .isEqualTo(Map.of("shop", Set.of("apps/Deployment", "/Service"), "billing", Set.of("/ConfigMap")));
    }

    @Test
    void noFileMeansNothingRemembered() throws IOException {
        assertThat(new DriftStateFile(tmp.resolve("none.json")).load()).isEmpty();
        assertThat(new DriftStateFile(tmp.resolve("none.json")).loadAppKinds()).isEmpty();
    }

    @Test
    void aFileWithoutKindsRemembersNoKinds() throws IOException {
        Path path = Files.writeString(tmp.resolve("drifts.json"), "{\"version\":1,\"openDrifts\":[]}");

        assertThat(new DriftStateFile(path).loadAppKinds()).isEmpty();
    }

    @Test
    void aBadKindIsReportedWithTheFileAndApp() throws IOException {
        Path path = Files.writeString(tmp.resolve("drifts.json"), "{\"appKinds\":{\"shop\":[\"Service\"]}}");

        assertThatThrownBy(() -> new DriftStateFile(path).loadAppKinds())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("drifts.json")
                .hasMessageContaining("shop")
                .hasMessageContaining("Service");
    }

    @Test
    void corruptEntryIsReportedWithTheFile() throws IOException {
        Path path = tmp.resolve("drifts.json");
        Files.writeString(path, "{\"openDrifts\":[{\"kind\":\"ConfigMap\",\"onset\":\"yesterday\"}]}");

        assertThatThrownBy(() -> new DriftStateFile(path).load())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("drifts.json");
    }
}
