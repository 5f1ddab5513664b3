#!/usr/bin/env bash
# The one-shot CLI beside kubectl diff on the same directories and the same real kube-apiserver, in one run (see
# CliBenchmark's Javadoc for what is measured).
#   bench/run-cli.sh                 # 25 and 1,000 objects, 5 alternating runs of each tool
#   bench/run-cli.sh 25,1000 7       # sizes, runs
# Needs the test binaries (scripts/test-binaries.sh: kube-apiserver, etcd, controllers, kubectl) and GNU time
# (/usr/bin/time). Writes bench/results/cli-<time>.json and its figures (BENCH_OUT, BENCH_SKIP_BUILD,
# BENCH_JAVA_OPTS: see bench/common.sh). The launcher measured is target/driftwatch as the build writes it (with its
# class-data archive target/driftwatch.jsa).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
sizes=${1:-25,1000}
runs=${2:-5}
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 2; }
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  scripts/test-binaries.sh
fi
while IFS= read -r line; do export "${line?}"; done < <(scripts/test-binaries.sh --print)
bench_build package
out=$(bench_out_prefix cli)
echo "[bench] cli: driftwatch diff vs kubectl diff, sizes $sizes, $runs runs -> $out.json" >&2
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
java ${BENCH_JAVA_OPTS:-} -cp target/test-classes:target/driftwatch.jar io.driftwatch.bench.CliBenchmark \
  target/driftwatch "$DRIFTWATCH_KUBECTL" "$sizes" "$runs" "$out.json" "$(bench_figures_file "$out")"
