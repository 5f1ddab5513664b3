package io.driftwatch.diff;

import java.util.Map;
import java.util.TreeMap;

/**
 * One step of a managed-fields path, as encoded in {@code fieldsV1}: {@code f:<field>}, {@code k:<key object>},
 * {@code v:<value>}, {@code i:<index>}. Key and value scalars are kept in {@link Values#canonical} form so that
 * {@code 80} and {@code 80.0} compare equal.
 */
sealed interface PathElement {

    record Field(String name) implements PathElement {}

    record Key(Map<String, String> fields) implements PathElement {
        public Key {
            fields = new TreeMap<>(fields);
        }
    }

    record Value(String canonical) implements PathElement {}

    record Index(int index) implements PathElement {}
}
