package io.driftwatch.hub;

import static io.driftwatch.hub.StreamCursor.EventDecision.APPLY;
import static io.driftwatch.hub.StreamCursor.EventDecision.HISTORY_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamCursorTest {

    private final StreamCursor at10 = new StreamCursor("s1", 10, 1_000);

    @Test
    void aClusterWithoutStateAppliesTheFirstEventsAndAsksForASnapshot() {
        assertThat(StreamCursor.NONE.forEvent("s1", 1)).isEqualTo(APPLY);
        assertThat(StreamCursor.NONE.wantsSnapshot("s1", 1)).isTrue();
        assertThat(StreamCursor.NONE.snapshotReplaces("s1", 0, 0)).isTrue();
    }

    @Test
    void laterEventsOfTheSameStreamApplyOlderOnesAreHistoryOnly() {
        assertThat(at10.forEvent("s1", 11)).isEqualTo(APPLY);
        assertThat(at10.forEvent("s1", 10)).isEqualTo(HISTORY_ONLY);
        assertThat(at10.forEvent("s1", 3)).isEqualTo(HISTORY_ONLY);
    }

    @Test
    void eventsOfAnotherStreamAreHistoryUntilItsSnapshotArrives() {
        assertThat(at10.forEvent("s2", 50)).isEqualTo(HISTORY_ONLY);
        assertThat(at10.wantsSnapshot("s2", 50)).isTrue();
    }

    @Test
    void aSkippedSequenceNumberAsksForASnapshotTheNextOneDoesNot() {
        assertThat(at10.wantsSnapshot("s1", 11)).isFalse();
        assertThat(at10.wantsSnapshot("s1", 13)).isTrue();
        assertThat(at10.wantsSnapshot("s1", 9))
                .as("a re-sent old event is no gap")
                .isFalse();
    }

    @Test
    void aSnapshotOfTheSameStreamReplacesUnlessOlderThanTheState() {
        assertThat(at10.snapshotReplaces("s1", 10, 0)).isTrue();
        assertThat(at10.snapshotReplaces("s1", 25, 0)).isTrue();
        assertThat(at10.snapshotReplaces("s1", 9, 5_000)).isFalse();
    }

    @Test
    void aSnapshotOfANewStreamReplacesUnlessTakenBeforeTheCurrentStatesSnapshot() {
        assertThat(at10.snapshotReplaces("s2", 0, 1_000)).isTrue();
        assertThat(at10.snapshotReplaces("s2", 99, 999)).isFalse();
    }

    @Test
    void advancingNeverMovesBackwards() {
        assertThat(at10.advancedTo(12).seq()).isEqualTo(12);
        assertThat(at10.advancedTo(5).seq()).isEqualTo(10);
    }
}
