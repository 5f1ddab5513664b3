#!/usr/bin/env bash
# The informer store's relist on fabric8's event loop (no API server): a plain timing harness of the list and relists
# of N ConfigMaps into live/CompactItemStore through fabric8's own ProcessorStore, min/median/max over the runs.
#
#   bench/run-relist.sh              # 50,000 objects, 5 runs (+1 warm-up), ~1 min on 2 cores
#   bench/run-relist.sh 10000 3
#   bench/run-relist.sh 50000 5 fabric8   # fabric8's own BasicItemStore instead: the floor (decoded objects, no encoding)
#
# See docs/benchmarks.md, "Agent scale" (relist on fabric8's event loop). Environment: BENCH_HEAP (default 2g),
# BENCH_SKIP_BUILD: bench/common.sh. The load average is printed before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

bench_build
CP=$(bench_classpath)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
java -Xms"${BENCH_HEAP:-2g}" -Xmx"${BENCH_HEAP:-2g}" -cp "$CP" io.driftwatch.live.RelistTiming "${1:-50000}" "${2:-5}" ${3:+"$3"}
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
