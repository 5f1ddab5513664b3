package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The warm-up names classes that exist (a library update that renames one fails here), and only for cluster diffs. */
class OneShotWarmUpTest {

    @Test
    void everyClassExists() throws Exception {
        for (String name : OneShotWarmUp.CLASSES) {
            assertThat(Class.forName(name, false, getClass().getClassLoader())).isNotNull();
        }
    }

    @Test
    void onlyADiffThatReadsAClusterIsWarmedUpFor() {
        assertThat(OneShotWarmUp.readsCluster("diff", "--dir", "manifests")).isTrue();
        assertThat(OneShotWarmUp.readsCluster("--log-level", "debug", "diff", "--repo", "https://git.example/r"))
                .isTrue();
        assertThat(OneShotWarmUp.readsCluster("diff", "--desired", "a.yaml", "--live", "b.yaml"))
                .isFalse();
        assertThat(OneShotWarmUp.readsCluster("diff", "--desired=a.yaml", "--live=b.yaml"))
                .isFalse();
        assertThat(OneShotWarmUp.readsCluster("diff", "--help")).isFalse();
        assertThat(OneShotWarmUp.readsCluster("diff", "-V")).isFalse();
    }
}
