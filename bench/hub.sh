#!/usr/bin/env bash
# Hub benchmark: ingest throughput and latency with N simulated agents on loopback (SQLite and PostgreSQL), and
# drift-list/history query latency with >= 100k stored events. Needs the PostgreSQL server binaries (scripts/test.sh
# installs them). Extra arguments go to the benchmark, e.g.  bench/hub.sh agents=16 batch=50 backends=sqlite
# Results are printed and written to bench/results/hub-<timestamp>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q --no-transfer-progress test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
mkdir -p bench/results
out="bench/results/hub-$(date -u +%Y%m%dT%H%M%SZ).txt"
java -Xmx1g -Dlogback.configurationFile=src/test/resources/logback-test.xml \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" io.driftwatch.bench.HubBench "$@" | tee "$out"
echo "written to $out"
