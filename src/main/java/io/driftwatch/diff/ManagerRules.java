package io.driftwatch.diff;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sorts field managers by evidence: appliers (the GitOps tool applying Git), out-of-band (people and ad-hoc tools),
 * controllers (configured, then the documented table of {@link KnownControllers}), and everything else
 * {@linkplain ManagerGroup#UNKNOWN unknown} — counted as drift unless {@link UnknownManagers#CONTROLLER} restores the old
 * rule "every unlisted manager is a controller". Entries are globs; the first group that matches wins, in that order.
 */
public final class ManagerRules {

    public enum ManagerGroup {
        APPLIER,
        OUT_OF_BAND,
        CONTROLLER,
        UNKNOWN
    }

    /** What an unlisted manager is taken for. */
    public enum UnknownManagers {
        /** Reported as drift with cause {@code unknown-manager} (the default). */
        DRIFT,
        /** Treated as a controller (driftwatch's behaviour before the known-controllers table). */
        CONTROLLER;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** "drift" or "controller"; null when {@code value} is neither. */
        public static UnknownManagers parse(String value) {
            for (UnknownManagers u : values()) {
                if (u.json().equals(value)) {
                    return u;
                }
            }
            return null;
        }
    }

    public static final List<String> DEFAULT_APPLIERS = List.of(
            "argocd-controller",
            "argocd-application-controller",
            "kustomize-controller",
            "helm-controller",
            "helm",
            "kubectl-client-side-apply");
    /** kubectl writes as {@code kubectl} (server-side apply) or {@code kubectl-<verb>}: every verb is a person's. */
    public static final List<String> DEFAULT_OUT_OF_BAND =
            List.of("kubectl", "kubectl-*", "Mozilla", "k9s", "Go-http-client", "dashboard");

    private static final int MAX_CACHED = 4096;

    private final List<String> appliers;
    private final List<String> outOfBand;
    private final List<String> controllers;
    private final UnknownManagers unknown;
    /** manager → group: a cluster has few managers, and every object asks for the same ones */
    private final Map<String, ManagerGroup> cache = new ConcurrentHashMap<>();

    public ManagerRules(
            List<String> appliers, List<String> outOfBand, List<String> controllers, UnknownManagers unknown) {
        this.appliers = List.copyOf(appliers);
        this.outOfBand = List.copyOf(outOfBand);
        this.controllers = List.copyOf(controllers);
        this.unknown = Objects.requireNonNull(unknown, "unknown");
    }

    public ManagerRules(List<String> appliers, List<String> outOfBand) {
        this(appliers, outOfBand, List.of(), UnknownManagers.DRIFT);
    }

    public static ManagerRules defaults() {
        return new ManagerRules(DEFAULT_APPLIERS, DEFAULT_OUT_OF_BAND);
    }

    public List<String> appliers() {
        return appliers;
    }

    public List<String> outOfBand() {
        return outOfBand;
    }

    /** Configured controllers, consulted before the built-in table. */
    public List<String> controllers() {
        return controllers;
    }

    public UnknownManagers unknown() {
        return unknown;
    }

    /** Defaults with the configured applier(s) instead of the default appliers. */
    public ManagerRules withAppliers(List<String> newAppliers) {
        return new ManagerRules(newAppliers, outOfBand, controllers, unknown);
    }

    public ManagerRules withOutOfBand(List<String> newOutOfBand) {
        return new ManagerRules(appliers, newOutOfBand, controllers, unknown);
    }

    public ManagerRules withControllers(List<String> newControllers) {
        return new ManagerRules(appliers, outOfBand, newControllers, unknown);
    }

    public ManagerRules withUnknown(UnknownManagers newUnknown) {
        return new ManagerRules(appliers, outOfBand, controllers, newUnknown);
    }

    /** The group of {@code manager}; a missing or empty manager name is unknown. */
    public ManagerGroup classify(String manager) {
        if (manager == null || manager.isEmpty()) {
            return unknown == UnknownManagers.CONTROLLER ? ManagerGroup.CONTROLLER : ManagerGroup.UNKNOWN;
        }
        ManagerGroup group = cache.get(manager);
        if (group == null) {
            group = lookUp(manager);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(manager, group);
        }
        return group;
    }

    private ManagerGroup lookUp(String manager) {
        if (matchesAny(appliers, manager)) {
            return ManagerGroup.APPLIER;
        }
        if (matchesAny(outOfBand, manager)) {
            return ManagerGroup.OUT_OF_BAND;
        }
        if (matchesAny(controllers, manager) || matchesAny(KnownControllers.MANAGERS, manager)) {
            return ManagerGroup.CONTROLLER;
        }
        return unknown == UnknownManagers.CONTROLLER ? ManagerGroup.CONTROLLER : ManagerGroup.UNKNOWN;
    }

    private static boolean matchesAny(List<String> globs, String manager) {
        for (String g : globs) {
            if (Glob.of(g).matches(manager)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The configuration that would classify {@code manager}, for the report of an unknown-manager drift: the agent's
     * config keys and the CLI's flags, controller first.
     */
    public static String hint(String manager) {
        String m = manager == null ? "" : manager;
        String quoted = "'" + m.replace("'", "''") + "'";
        return "unknown manager " + quoted + ": if it is a controller, add it to the agent config "
                + "diff.managers.controllers: [" + quoted + "] (CLI: --controller " + shellWord(m) + "); if it is a "
                + "person's tool, diff.managers.outOfBand (--out-of-band-manager); if it applies Git, "
                + "diff.managers.appliers (--applier)";
    }

    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9._/:@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManagerRules r
                && appliers.equals(r.appliers)
                && outOfBand.equals(r.outOfBand)
                && controllers.equals(r.controllers)
                && unknown == r.unknown;
    }

    @Override
    public int hashCode() {
        return Objects.hash(appliers, outOfBand, controllers, unknown);
    }

    @Override
    public String toString() {
        return "ManagerRules[appliers=" + appliers + ", outOfBand=" + outOfBand + ", controllers=" + controllers
                + ", unknown=" + unknown.json() + "]";
    }
}
