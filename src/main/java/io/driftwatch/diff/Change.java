package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One drifted field.
 *
 * @param field readable path, e.g. {@code spec.template.spec.containers[name=web].image}
 * @param path JSON pointer into the live object (list index); for a desired list element live lacks, the list's pointer + "/-"
 * @param desired desired value, null when desired does not set it (op ADDED); Secret values are redacted
 * @param live live value, null when live lacks it (op REMOVED); Secret values are redacted
 * @param manager field manager owning the live field, null when none owns it
 * @param operation "Apply" or "Update" of that manager's entry
 * @param subresource subresource of that entry ("" or e.g. "scale"), null when no owner
 * @param time time of that entry, null when unknown
 */
public record Change(String field, String path, Op op, Cause cause, JsonNode desired, JsonNode live,
                     String manager, String operation, String subresource, Instant time) {
}
