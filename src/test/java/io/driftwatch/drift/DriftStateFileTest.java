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

        file.save(List.of(new DriftRecord("id-1", drift, onset, onset, null)));

        assertThat(file.load()).containsExactly(java.util.Map.entry(key, onset));
    }

    @Test
    void noFileMeansNothingRemembered() throws IOException {
        assertThat(new DriftStateFile(tmp.resolve("none.json")).load()).isEmpty();
    }

    @Test
    void corruptEntryIsReportedWithTheFile() throws IOException {
        Path path = tmp.resolve("drifts.json");
        Files.writeString(path, "{\"openDrifts\":[{\"kind\":\"ConfigMap\",\"onset\":\"yesterday\"}]}");

        assertThatThrownBy(() -> new DriftStateFile(path).load()).isInstanceOf(IOException.class)
                .hasMessageContaining("drifts.json");
    }
}
