package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.desired;
import static io.driftwatch.diff.Fixtures.load;
import static io.driftwatch.diff.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hints a source attaches to desired objects: per-object ignore rules and masked Secret values. */
class DesiredHintsTest {

    private final DiffEngine engine =
            DiffEngine.withDefaults(DiffOptions.defaults().withIncludeYamlDiff(true));

    /** The desired Secret as Argo CD serves it: every value replaced by a run of '+'. */
    private static ObjectNode maskedSecret() {
        ObjectNode secret = load("secret-desired.yaml");
        secret.remove("stringData");
        ((ObjectNode) secret.get("data")).put("username", "++++++++").put("password", "+++++++++");
        DesiredHints.attach(secret, List.of(), true);
        return secret;
    }

    @Test
    void aMaskedSecretIsComparedByItsKeySetOnly() {
        assertThat(engine.diff(desired(maskedSecret()), load("secret-live.yaml"), true))
                .isEmpty();
    }

    @Test
    void aKeyAddedToAMaskedSecretIsDriftAndTheHintAnnotationNeverShows() {
        ObjectNode live = load("secret-live.yaml");
        set(live, "/data/extra", "\"ZXh0cmE=\"");
        Fixtures.addManager(
                live, "kubectl-edit", "Update", null, "2026-11-21T10:50:00Z", "{\"f:data\": {\"f:extra\": {}}}");

        Optional<Drift> drift = engine.diff(desired(maskedSecret()), live, true);

        assertThat(drift).isPresent();
        assertThat(drift.get().changes())
                .singleElement()
                .satisfies(c -> assertThat(c.field()).isEqualTo("data.extra"));
        assertThat(drift.get().yamlDiff()).doesNotContain("driftwatch.io/");
    }

    @Test
    void aSecretWithoutTheHintStillComparesValues() {
        ObjectNode secret = load("secret-desired.yaml");
        assertThat(engine.diff(desired(secret), load("secret-live.yaml"), true)).isPresent();
    }

    @Test
    void anAttachedRuleIgnoresItsPointerForThatObjectOnly() {
        ObjectNode live = load("secret-live.yaml");
        ObjectNode secret = load("secret-desired.yaml");
        IgnoreRule password = new IgnoreRule("", "Secret", "db", null, List.of("/data/password"), List.of());
        DesiredHints.attach(secret, List.of(password), false);

        assertThat(engine.diff(desired(secret), live, true)).isEmpty();
        assertThat(engine.diff(desired(load("secret-desired.yaml")), live, true))
                .isPresent();
    }

    @Test
    void attachingNothingLeavesTheManifestAlone() {
        ObjectNode secret = load("secret-desired.yaml");
        ObjectNode before = secret.deepCopy();
        DesiredHints.attach(secret, List.of(), false);
        assertThat(secret).isEqualTo(before);
        assertThat(DesiredHints.present(secret)).isFalse();
    }
}
