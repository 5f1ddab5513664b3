package io.driftwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What {@code version.properties} says after Maven's filtering, inside and outside a Git checkout. */
class BuildInfoTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void aBuildFromAGitCheckoutNamesItsCommitAndTreeState() {
        BuildInfo info = BuildInfo.of(
                props(
                        "version",
                        "0.1.0",
                        "gitCommit",
                        "51f9957f4fb60c017ac1752991d3d2cfb6f4acdc",
                        "gitDirty",
                        "false",
                        "buildTime",
                        "2026-12-03T12:57:22Z"),
                "17.0.15");
        assertThat(info)
                .isEqualTo(new BuildInfo(
                        "0.1.0",
                        "51f9957f4fb60c017ac1752991d3d2cfb6f4acdc",
                        "clean",
                        "2026-12-03T12:57:22Z",
                        "17.0.15"));
        assertThat(BuildInfo.of(
                                props("gitCommit", "51f9957f4fb60c017ac1752991d3d2cfb6f4acdc", "gitDirty", "true"),
                                "17")
                        .gitTreeState())
                .isEqualTo("dirty");
    }

    @Test
    void propertiesMavenCouldNotFillAreUnknownNotPlaceholders() {
        // without git nothing is set and the placeholders stay as written
        BuildInfo info = BuildInfo.of(
                props(
                        "version",
                        "0.1.0",
                        "gitCommit",
                        "${git.commit.id}",
                        "gitDirty",
                        "${git.dirty}",
                        "buildTime",
                        "2026-12-03T12:59:21Z"),
                "17");
        assertThat(info.gitCommit()).isEqualTo(BuildInfo.UNKNOWN);
        assertThat(info.gitTreeState()).isEqualTo(BuildInfo.UNKNOWN);
        // outside a Git checkout git answers nothing (and the tree state of no commit is not "clean")
        BuildInfo outside = BuildInfo.of(props("version", "0.1.0", "gitCommit", "", "gitDirty", "false"), "17");
        assertThat(outside.gitCommit()).isEqualTo(BuildInfo.UNKNOWN);
        assertThat(outside.gitTreeState()).isEqualTo(BuildInfo.UNKNOWN);
        assertThat(BuildInfo.of(new Properties(), "17").version()).isEqualTo(BuildInfo.UNKNOWN);
    }

    @Test
    void theBuiltJarsOwnPropertiesAreFilled() {
        BuildInfo info = BuildInfo.current();
        assertThat(info.version()).isNotEqualTo(BuildInfo.UNKNOWN);
        assertThat(info.buildTime()).isNotEqualTo(BuildInfo.UNKNOWN);
    }
}
