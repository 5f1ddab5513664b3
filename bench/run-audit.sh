#!/usr/bin/env bash
# Audit attribution (see AuditAttributionBenchmark's Javadoc): the audit index's memory at 100 writes/s for the
# configured window, and the lag from an audit batch's arrival to the drift naming its actor, on a real kube-apiserver
# with the agent under a background of 100 audited writes/s.
#   bench/run-audit.sh                # 30 lag samples, the default 15 min window (90,000 writes in the index)
#   bench/run-audit.sh 20 300         # 20 samples, a 5 min window
# Needs the test binaries (scripts/test-binaries.sh). Writes bench/results/audit-<time>.log and its figures
# (BENCH_OUT, BENCH_SKIP_BUILD, BENCH_JAVA_OPTS: see bench/common.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
samples=${1:-30}
window=${2:-900}
[[ "$samples" =~ ^[1-9][0-9]*$ ]] || { echo "samples must be a whole number ≥ 1, got '$samples'" >&2; exit 2; }
[[ "$window" =~ ^[1-9][0-9]*$ ]] || { echo "window must be whole seconds ≥ 1, got '$window'" >&2; exit 2; }
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  scripts/test-binaries.sh
fi
while IFS= read -r line; do export "${line?}"; done < <(scripts/test-binaries.sh --print)
bench_build
out=$(bench_out_prefix "audit")
echo "[bench] audit attribution: $samples samples, window ${window}s, load average $(cut -d' ' -f1-3 /proc/loadavg) -> $out.log" >&2
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
java -Xmx1g -XX:+UseSerialGC ${BENCH_JAVA_OPTS:-} -cp "$(bench_classpath)" \
  io.driftwatch.bench.AuditAttributionBenchmark "$samples" "$window" "$(bench_figures_file "$out")" 2>&1 | tee "$out.log"
echo "[bench] load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
