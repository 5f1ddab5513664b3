package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Recognises a managedFields entry that kubectl's client-side → server-side migration produced. {@code kubectl apply
 * --server-side --field-manager=X} on an object last applied client-side runs client-go's {@code csaupgrade}: every
 * field the client-side applier's Update entry owned — which, since that applier created the object, includes server
 * defaults and the {@code last-applied-configuration} annotation itself — is merged into X's Apply entry and the
 * client-side entry is dropped. kubectl's server-side apply does not send that annotation (the API server keeps it up
 * to date only for manager {@code kubectl}), so an Apply entry owning it has taken the client-side applier's fields
 * over. Limit: a manifest that literally carries the annotation, applied server-side, looks the same.
 *
 * <p>Within such an entry, a field the last-applied configuration sets with the live value is the client-side
 * applier's, not X's; a field last-applied does not set is a server default the applier's create recorded — or an
 * addition by X, which the object no longer tells apart: neither is reported as X's. A field whose live value differs
 * from last-applied is X's change and is reported with X. A value desired sets differently that still is the
 * last-applied value (Git changed since the client-side apply) is not X's either: it is reported with no manager and
 * classified from last-applied ({@code pending-sync}).
 */
final class ClientSideMigration {

    private ClientSideMigration() {}

    /** Whether {@code entry} is an Apply entry that owns the last-applied annotation (took over client-side fields). */
    static boolean tookOver(ManagedFields.Entry entry) {
        if (!"Apply".equals(entry.operation())) {
            return false;
        }
        FieldSet metadata = entry.fields().child(new PathElement.Field("metadata"));
        FieldSet annotations = metadata == null ? null : metadata.child(new PathElement.Field("annotations"));
        return annotations != null && annotations.child(new PathElement.Field(Normalizer.LAST_APPLIED)) != null;
    }

    /**
     * Whether an added field of a taken-over entry is the client-side applier's (or indistinguishable from it): the
     * last-applied configuration (normalised like live; null when unreadable) does not set it or sets the live value.
     */
    static boolean inherited(Comparer.RawChange added, JsonNode lastApplied, Comparer comparer) {
        if (lastApplied == null) {
            return true;
        }
        return Values.isEmpty(JsonPaths.valueAt(lastApplied, added.path(), comparer))
                || applied(added, lastApplied, comparer);
    }

    /** Whether the live value of {@code change} is the one the last-applied configuration (null: none) sets. */
    static boolean applied(Comparer.RawChange change, JsonNode lastApplied, Comparer comparer) {
        if (lastApplied == null || change.live() == null) {
            return false;
        }
        JsonNode applied = JsonPaths.valueAt(lastApplied, change.path(), comparer);
        return !Values.isEmpty(applied) && comparer.satisfies(change.path(), applied, change.live());
    }
}
