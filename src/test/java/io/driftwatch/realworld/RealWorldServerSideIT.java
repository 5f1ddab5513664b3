package io.driftwatch.realworld;

/** The real-world corpus applied server-side, as Argo CD does (field manager argocd-controller, forced conflicts). */
class RealWorldServerSideIT extends RealWorldVerdicts {

    @Override
    Installation.Mode mode() {
        return Installation.Mode.SERVER_SIDE;
    }
}
