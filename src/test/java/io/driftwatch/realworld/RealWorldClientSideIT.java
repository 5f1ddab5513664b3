package io.driftwatch.realworld;

/** The real-world corpus applied client-side with {@code kubectl apply} (last-applied-configuration). */
class RealWorldClientSideIT extends RealWorldVerdicts {

    @Override
    Installation.Mode mode() {
        return Installation.Mode.CLIENT_SIDE;
    }
}
