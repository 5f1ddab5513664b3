#!/usr/bin/env bash
# The agent at scale on a real kube-apiserver (see AgentScaleBenchmark's Javadoc for what is measured).
#   bench/run-agent-scale.sh                 # 10k and 50k objects, one run each
#   bench/run-agent-scale.sh 10000 3         # 10k objects, three runs
# Needs the test binaries (scripts/test-binaries.sh). Writes bench/results/agent-scale-<n>-<time>.json, the agent's
# log and the figures (.figures.jsonl) next to it (BENCH_OUT, BENCH_SKIP_BUILD, BENCH_JAVA_OPTS: see bench/common.sh;
# BENCH_JAVA_OPTS also takes -Ddriftwatch.bench.samples=60, .settleSeconds=30, .idleSeconds=60, .idleWindows=4, the
# quiet wait before the idle windows .quietEventsPerSecond=1, .quietWindowSeconds=15, .quietTimeoutSeconds=900, and
# the shape: .namespaces=20, .apps=10, .updatesPerSecond=100; e.g. issue 20's 200k shape:
#   BENCH_JAVA_OPTS="-Xmx4g -Ddriftwatch.bench.namespaces=500 -Ddriftwatch.bench.apps=50 \
#     -Ddriftwatch.bench.updatesPerSecond=200" bench/run-agent-scale.sh 200000 1
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
sizes=${1:-"10000 50000"}
runs=${2:-1}
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  scripts/test-binaries.sh
fi
while IFS= read -r line; do export "${line?}"; done < <(scripts/test-binaries.sh --print)
bench_build package
for n in $sizes; do
  for r in $(seq 1 "$runs"); do
    out=$(bench_out_prefix "agent-scale-$n-run$r")
    echo "[bench] agent scale: $n objects, run $r -> $out.json" >&2
    # shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
    java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp target/test-classes:target/driftwatch.jar \
      io.driftwatch.bench.AgentScaleBenchmark "$n" "$out.json" "$(bench_figures_file "$out")"
  done
done
