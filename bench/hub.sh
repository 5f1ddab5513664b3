#!/usr/bin/env bash
# Hub benchmark: ingest throughput and latency with N simulated agents on loopback (SQLite and PostgreSQL), and
# drift-list/history query latency with >= 100k stored events. Needs the PostgreSQL server binaries (scripts/test.sh
# installs them). Extra arguments go to the benchmark, e.g.  bench/hub.sh agents=16 batch=50 backends=sqlite
# Results are printed and written to bench/results/hub-<timestamp>.txt, the figures to .figures.jsonl next to it
# (BENCH_OUT, BENCH_SKIP_BUILD, BENCH_JAVA_OPTS: see bench/common.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_build
out=$(bench_out_prefix hub)
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
java -Xmx1g ${BENCH_JAVA_OPTS:-} -Dlogback.configurationFile=src/test/resources/logback-test.xml \
  -cp "$(bench_classpath)" io.driftwatch.bench.HubBench "$@" "figures=$(bench_figures_file "$out")" | tee "$out.txt"
echo "written to $out.txt"
