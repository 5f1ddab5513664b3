package io.driftwatch.diff;

/** How a scalar field compares: quantities and int-or-strings by value when both sides parse as quantities. */
public enum FieldFormat {
    QUANTITY,
    INT_OR_STRING,
    PLAIN
}
