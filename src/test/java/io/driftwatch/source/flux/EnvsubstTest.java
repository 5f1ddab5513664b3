package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvsubstTest {

    private static final Map<String, String> VARS = Map.of("cluster", "prod", "replicas", "3", "empty", "");

    @Test
    void replacesVariablesAndLeavesOtherTextAlone() {
        assertThat(Envsubst.substitute("name: app-${cluster}\nreplicas: ${replicas}\nurl: $HOME", VARS, false))
                .isEqualTo("name: app-prod\nreplicas: 3\nurl: $HOME");
    }

    @Test
    void anUnsetVariableIsEmptyUnlessStrict() {
        assertThat(Envsubst.substitute("a${missing}b", VARS, false)).isEqualTo("ab");
        assertThatThrownBy(() -> Envsubst.substitute("a${missing}b ${also}", VARS, true))
                .hasMessageContaining("'missing' is not set")
                .hasMessageContaining("'also' is not set");
    }

    @Test
    void defaultsApplyWhenUnsetOrEmptyForAllFourForms() {
        assertThat(Envsubst.substitute("${missing:=a} ${missing=b} ${empty:-c} ${empty-d} ${cluster:=x}", VARS, false))
                .isEqualTo("a b c d prod");
        assertThat(Envsubst.substitute("${missing:=${cluster}-eu}", VARS, false))
                .isEqualTo("prod-eu");
    }

    @Test
    void doubleDollarIsALiteralDollar() {
        assertThat(Envsubst.substitute("$${cluster} $$x", VARS, false)).isEqualTo("${cluster} $x");
    }

    @Test
    void refusesExpressionsItDoesNotEvaluateNamingThemAll() {
        assertThatThrownBy(() -> Envsubst.substitute("${cluster^^} ${#cluster} ${open", VARS, false))
                .hasMessageContaining("'${cluster^^}'")
                .hasMessageContaining("'${#cluster}'")
                .hasMessageContaining("unterminated '${open'");
    }
}
