#!/usr/bin/env bash
# The agent at scale on a real kube-apiserver (see AgentScaleBenchmark's Javadoc for what is measured).
#   bench/run-agent-scale.sh                 # 10k and 50k objects, one run each
#   bench/run-agent-scale.sh 10000 3         # 10k objects, three runs
# Needs the test binaries (scripts/test-binaries.sh). Writes bench/results/agent-scale-<n>-<time>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"10000 50000"}
runs=${2:-1}
scripts/test-binaries.sh
while IFS= read -r line; do export "${line?}"; done < <(scripts/test-binaries.sh --print)
mvn -B -q --no-transfer-progress package -DskipTests
mkdir -p bench/results
for n in $sizes; do
  for r in $(seq 1 "$runs"); do
    out="bench/results/agent-scale-$n-$(date -u +%Y%m%dT%H%M%SZ).json"
    echo "[bench] agent scale: $n objects, run $r -> $out" >&2
    java -Xmx2g -cp target/test-classes:target/driftwatch.jar io.driftwatch.bench.AgentScaleBenchmark "$n" "$out"
  done
done
