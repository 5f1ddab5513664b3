package io.driftwatch.source.flux;

import io.driftwatch.source.DesiredState;
import java.util.Optional;

/**
 * For sources that render every time (a spec, a ConfigMap or values can change what the same artifact renders to):
 * a load is unchanged only when both its revision and its rendered objects are those of the last one.
 */
final class RenderMemo {

    private volatile String lastRender;

    /** The state, or empty when its revision is {@code knownRevision} and its objects are the last render's. */
    Optional<DesiredState> ifChanged(DesiredState state, String knownRevision) {
        String render = state.revision() + "\n" + state.objects();
        boolean same = state.revision().equals(knownRevision) && render.equals(lastRender);
        lastRender = render;
        return same ? Optional.empty() : Optional.of(state);
    }
}
