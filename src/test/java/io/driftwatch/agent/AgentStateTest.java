package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentStateTest {

    @Test
    void partsAssembledAfterAStopBeganAreRefusedSoTheCallerClosesThem() {
        AgentState state = new AgentState("prod", "agent-1");

        assertThat(state.markStopping()).isTrue();

        assertThat(state.assembled(null)).isFalse();
        assertThat(state.parts()).isNull();
        assertThat(state.notReadyReasons()).containsExactly("shutting down");
    }

    @Test
    void theAgentStopsOnce() {
        AgentState state = new AgentState("prod", "agent-1");

        assertThat(state.notReadyReasons()).containsExactly("starting");
        assertThat(state.markStopping()).isTrue();
        assertThat(state.markStopping()).isFalse();
    }
}
