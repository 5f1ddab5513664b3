#!/usr/bin/env bash
# driftwatch beside Flux's own `flux diff kustomization` on the same real cluster, the same real Flux controllers, the
# same Kustomizations and the same out-of-band changes, in one run (see FluxDiffBenchmark's Javadoc for what is
# measured and how the verdicts are recorded).
#   bench/run-flux-diff.sh           # 5 alternating runs of each tool per Kustomization
#   bench/run-flux-diff.sh 3         # runs
# Needs the test binaries (scripts/test-binaries.sh: kube-apiserver, etcd, kubectl, kustomize, Flux's controllers),
# Flux's CLI (scripts/test-binaries.sh flux-cli, built for this benchmark only) and GNU time (/usr/bin/time). Writes
# bench/results/flux-diff-<time>.json and its figures (BENCH_OUT, BENCH_SKIP_BUILD, BENCH_JAVA_OPTS: see
# bench/common.sh). The launcher measured is target/driftwatch as the build writes it.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
runs=${1:-5}
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 2; }
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  scripts/test-binaries.sh etcd kubernetes kustomize flux flux-cli
fi
while IFS= read -r line; do export "${line?}"; done < <(scripts/test-binaries.sh --print)
[[ -x "$DRIFTWATCH_FLUX_CLI" ]] || { echo "Flux's CLI is missing ($DRIFTWATCH_FLUX_CLI): run scripts/test-binaries.sh flux-cli" >&2; exit 2; }
bench_build package
out=$(bench_out_prefix flux-diff)
echo "[bench] flux: driftwatch diff vs flux diff kustomization, $runs runs -> $out.json" >&2
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
java ${BENCH_JAVA_OPTS:-} -cp "$(bench_classpath)" io.driftwatch.bench.FluxDiffBenchmark \
  target/driftwatch "$DRIFTWATCH_FLUX_CLI" "$runs" "$out.json" "$(bench_figures_file "$out")"
