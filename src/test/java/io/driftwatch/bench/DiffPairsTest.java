package io.driftwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.bench.DiffPairs.InjectedDrift;
import io.driftwatch.bench.DiffPairs.Mix;
import io.driftwatch.bench.DiffPairs.Pair;
import io.driftwatch.diff.BuiltinListSchema;
import io.driftwatch.diff.BuiltinResourceScope;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.DesiredObject;
import io.driftwatch.diff.DiffEngine;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.Drift;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark's input is what it claims to be: clean pairs are clean, drifted pairs drift, and the same seed repeats. */
class DiffPairsTest {

    private final DiffEngine engine =
            new DiffEngine(DiffOptions.defaults(), BuiltinResourceScope.INSTANCE, new BuiltinListSchema());

    @ParameterizedTest
    @EnumSource(Mix.class)
    void reportsDriftExactlyForThePairsWithInjectedDrift(Mix mix) {
        List<Pair> pairs = DiffPairs.generate(mix, 400, 7, 0.1);
        for (Pair p : pairs) {
            Optional<Drift> drift = engine.diff(p.desired(), p.live(), true);
            if (p.drift() == InjectedDrift.NONE) {
                assertThat(drift)
                        .as("%s (%s)", p.name(), p.desired().manifest().path("kind"))
                        .isEmpty();
            } else {
                assertThat(drift)
                        .as("%s (%s, %s)", p.name(), p.desired().manifest().path("kind"), p.drift())
                        .isPresent();
                assertThat(drift.get().cause()).as(p.name()).isEqualTo(Cause.OUT_OF_BAND);
                assertThat(drift.get().changes()).as(p.name()).hasSize(1);
            }
        }
        long drifted =
                pairs.stream().filter(p -> p.drift() != InjectedDrift.NONE).count();
        assertThat(drifted).isBetween(20L, 70L);
    }

    @Test
    void generatesTheSamePairsFromTheSameSeed() {
        List<Pair> a = DiffPairs.generate(Mix.MIXED, 50, 42, 0.1);
        List<Pair> b = DiffPairs.generate(Mix.MIXED, 50, 42, 0.1);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).liveJson()).isEqualTo(a.get(i).liveJson());
            assertThat(b.get(i).desiredJson()).isEqualTo(a.get(i).desiredJson());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"image", "env", "scale"})
    void reportsTheOutOfBandChangesCapturedFromTheApiServer(String change) {
        DesiredObject desired = DesiredObject.of(DiffPairs.corpusManifest("16-deployment-api", "csa"));
        desired.manifest().with("metadata").put("name", "api-drift-" + change);
        Optional<Drift> drift = engine.diff(desired, DiffPairs.captured("drift/deployment-" + change), true);
        assertThat(drift).isPresent();
        assertThat(drift.get().cause()).isEqualTo(Cause.OUT_OF_BAND);
        assertThat(drift.get().changes()).hasSize(1);
    }
}
