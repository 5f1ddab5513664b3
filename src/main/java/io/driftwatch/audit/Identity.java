package io.driftwatch.audit;

import io.driftwatch.diff.Actor;
import io.driftwatch.diff.Glob;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an identity is a controller's: the ServiceAccounts of kube-system (where the built-in controllers run),
 * {@code system:} users other than ServiceAccounts and anonymous (kube-controller-manager, kube-scheduler, nodes), and
 * configured identities (globs, e.g. {@code system:serviceaccount:cert-manager:*}). Anyone else — a person, a CI
 * token, another ServiceAccount — writes out of band. A request that impersonated is a controller's only when both the
 * requester and the impersonated user are.
 */
public final class Identity {

    /** The built-in controller identities (globs). */
    public static final List<String> DEFAULT_CONTROLLERS = List.of("system:serviceaccount:kube-system:*");

    private final List<String> controllers;

    /** @param extraControllers identities (globs) to treat as controllers besides the defaults */
    public Identity(List<String> extraControllers) {
        List<String> all = new ArrayList<>(DEFAULT_CONTROLLERS);
        all.addAll(extraControllers);
        this.controllers = List.copyOf(all);
    }

    public boolean controller(Actor actor) {
        return controllerUser(actor.username())
                && (actor.impersonatedBy() == null || controllerUser(actor.impersonatedBy()));
    }

    boolean controllerUser(String username) {
        if (username.startsWith("system:")
                && !username.startsWith("system:serviceaccount:")
                && !username.equals("system:anonymous")) {
            return true;
        }
        return controllers.stream().anyMatch(g -> Glob.matches(g, username));
    }
}
