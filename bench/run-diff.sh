#!/usr/bin/env bash
# Diff throughput benchmark (JMH): the engine vs Jackson parsing of both sides vs zjsonpatch JsonDiff, on the same
# seeded, realistic (desired, live) pairs, with allocation per pair (-prof gc). See docs/benchmarks.md.
#
#   bench/run-diff.sh                      # the documented run: 4 pair sets x 4 benchmarks, ~10 min on 2 cores
#   bench/run-diff.sh -p mix=DEPLOYMENT    # extra arguments go to JMH (here: only the Deployment pairs)
#
# Writes bench/results/diff-<UTC time>.json (JMH), .log (JMH output), .md (the summary table it prints) and
# .figures.jsonl (machine-readable figures). To pool repeated runs:
#   java -cp <same classpath> io.driftwatch.bench.DiffBenchSummary bench/results/diff-*.json
# Environment: BENCH_HEAP (default 4g), BENCH_FORKS (1), BENCH_WARMUP ("4 5s": iterations, time; the JIT needs ~20 s
# on 2 cores before the engine's figures settle), BENCH_MEASURE ("5 2s"); BENCH_OUT, BENCH_SKIP_BUILD: bench/common.sh.
# Other processes on the machine skew the figures: the load average is printed before and after the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

HEAP="${BENCH_HEAP:-4g}"
FORKS="${BENCH_FORKS:-1}"
read -r WI W <<<"${BENCH_WARMUP:-4 5s}"
read -r I R <<<"${BENCH_MEASURE:-5 2s}"

# Compiles main and test classes when sources changed (JMH's annotation processor generates the benchmark list).
bench_build
CP=$(bench_classpath)

OUT=$(bench_out_prefix diff)
FIGURES=$(bench_figures_file "$OUT")
echo "diff benchmark: forks=$FORKS warmup=${WI}x$W measurement=${I}x$R heap=$HEAP -> $OUT.{json,log,md}, $FIGURES"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before: $LOAD_BEFORE ($(nproc) CPUs)"
java -cp "$CP" org.openjdk.jmh.Main 'io.driftwatch.bench.DiffBenchmark' \
  -f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R" -t 1 \
  -jvmArgs "-Xms$HEAP -Xmx$HEAP" -prof gc \
  -rf json -rff "$OUT.json" "$@" | tee "$OUT.log"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
echo
java -cp "$CP" io.driftwatch.bench.DiffBenchSummary --out "$OUT.md" --figures "$FIGURES" "$OUT.json"
printf '\nload average before: %s, after: %s (%s CPUs); a load well above 1 means other processes shared the CPUs\n' \
  "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" | tee -a "$OUT.md"
