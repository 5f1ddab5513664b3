package io.driftwatch.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Schema knowledge the engine needs: how lists merge and which scalars are quantities. A {@code fieldPath} is the list of
 * field names (and map keys) from the object's root, without list indexes, e.g.
 * {@code [spec, template, spec, containers, ports]}. Empty results mean "this schema does not know".
 */
public interface ListSchema {

    Optional<ListType> listType(String group, String kind, List<String> fieldPath);

    Optional<FieldFormat> format(String group, String kind, List<String> fieldPath);

    /** This schema, then {@code fallback} where this one does not know. */
    default ListSchema orElse(ListSchema fallback) {
        return composite(List.of(this, fallback));
    }

    /** The first schema that knows answers. */
    static ListSchema composite(List<ListSchema> schemas) {
        List<ListSchema> all = new ArrayList<>(schemas);
        return new ListSchema() {
            @Override
            public Optional<ListType> listType(String group, String kind, List<String> fieldPath) {
                for (ListSchema s : all) {
                    Optional<ListType> t = s.listType(group, kind, fieldPath);
                    if (t.isPresent()) {
                        return t;
                    }
                }
                return Optional.empty();
            }

            @Override
            public Optional<FieldFormat> format(String group, String kind, List<String> fieldPath) {
                for (ListSchema s : all) {
                    Optional<FieldFormat> f = s.format(group, kind, fieldPath);
                    if (f.isPresent()) {
                        return f;
                    }
                }
                return Optional.empty();
            }
        };
    }
}
