#!/usr/bin/env bash
# The agent beside Argo CD's application controller on one real kube-apiserver, the same objects and the same
# out-of-band changes, in one run (see PeersBenchmark's Javadoc for what is measured).
#   bench/run-peers.sh                 # 2,000 objects, one run
#   bench/run-peers.sh 10000 3         # 10,000 objects, three runs
# Needs the test binaries (scripts/test-binaries.sh), the Argo CD build with the application controller
# (scripts/test-binaries.sh --argocd-controller) and redis-server. Writes bench/results/peers-<n>-run<r>-<time>.json,
# the processes' logs and the figures next to it (BENCH_OUT, BENCH_SKIP_BUILD, BENCH_JAVA_OPTS: see bench/common.sh;
# BENCH_JAVA_OPTS also takes -Ddriftwatch.bench.samples=30, .concurrent=10 (changes in flight at once, each in its own
# app), .churnPerSecond=50, .objectsPerApp=200, .settleSeconds=30, .idleSeconds=60).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
sizes=${1:-2000}
runs=${2:-1}
command -v redis-server >/dev/null 2>&1 || { echo "redis-server is needed (Argo CD): apt-get install redis-server" >&2; exit 2; }
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  scripts/test-binaries.sh
  scripts/test-binaries.sh --argocd-controller
fi
while IFS= read -r line; do export "${line?}"; done < <(scripts/test-binaries.sh --print)
bench_build package
for n in ${sizes//,/ }; do
  for r in $(seq 1 "$runs"); do
    out=$(bench_out_prefix "peers-$n-run$r")
    echo "[bench] peers: driftwatch agent and Argo CD, $n objects, run $r -> $out.json" >&2
    # shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
    java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp target/test-classes:target/driftwatch.jar \
      io.driftwatch.bench.PeersBenchmark "$n" "$out.json" "$(bench_figures_file "$out")"
  done
done
