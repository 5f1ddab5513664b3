package io.driftwatch.source.git;

import io.driftwatch.config.GitAppSpec;

/**
 * What decides one render's output: repository (normal form), commit, path, renderer and its inputs (tool binary,
 * release name, namespace, values files, hash of inline values, Kubernetes version). Files inside the repository —
 * values files included — are covered by the commit.
 */
public record RenderKey(String repository, String commit, String path, GitAppSpec.Renderer renderer, String inputs) {}
