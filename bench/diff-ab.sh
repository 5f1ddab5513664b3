#!/usr/bin/env bash
# Diff engine before/after: engine ÷ parse in thread CPU time (io.driftwatch.bench.DiffCpuRatio) for two builds, run
# alternately in separate JVMs with the same flags, then summarised per pair set (io.driftwatch.bench.DiffAbSummary):
# each build's min / median / max over its runs, and the median of the paired after ÷ before ratios with a 95 %
# bootstrap interval. Meant for a shared machine: CPU time of the measuring thread instead of wall time, engine and parse
# measured in alternating chunks inside each round, builds alternated run by run, the order swapped every pair
# (before-after, after-before, ...) so a trend in the machine's load falls on both alike. See docs/benchmarks.md.
#
#   bench/diff-ab.sh --before 1e77c87                  # 10 pairs of runs, 30 rounds each (15 warm-up), all four sets
#   bench/diff-ab.sh --before 1e77c87 --runs 4 --rounds 20 --sets CONFIGMAP
#
# "after" is this working tree (uncommitted changes included; its classes are copied to target/diff-ab-after/ once
# built); "before" is REF, exported with `git archive` into
# target/diff-ab-before-<commit>/ (kept for reruns; `mvn clean` removes it), with this tree's DiffCpuRatio.java copied
# in (older commits may lack it; the pairs generator must be the same, which the summary checks by checksum). Both are
# compiled with Maven (offline when BENCH_MAVEN_OFFLINE=1). Each JVM: -Xms$BENCH_HEAP -Xmx$BENCH_HEAP (default 1g) -XX:+AlwaysPreTouch, G1.
# Writes bench/results/diff-ab-<UTC time>/: <i>-before.tsv, <i>-after.tsv (raw rounds, with the load average before
# and after the run as comments), machine.txt, summary.md. Exit status: 0 done, 2 bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }
BEFORE=""
RUNS=10
ROUNDS=30
SETS=CONFIGMAP,SERVICE,DEPLOYMENT,MIXED
while [[ $# -gt 0 ]]; do
  case "$1" in
    --before) BEFORE="${2:?}"; shift 2 ;;
    --runs) RUNS="${2:?}"; shift 2 ;;
    --rounds) ROUNDS="${2:?}"; shift 2 ;;
    --sets) SETS="${2:?}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done
[[ -n "$BEFORE" ]] || { echo "--before REF is required" >&2; usage; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs and --rounds take positive integers" >&2; exit 2; }
git rev-parse --verify --quiet "$BEFORE^{commit}" >/dev/null || { echo "--before: no such commit: $BEFORE" >&2; exit 2; }

HEAP="${BENCH_HEAP:-1g}"
MVN=(mvn -B -q --no-transfer-progress -Dstyle.color=never)
[[ "${BENCH_MAVEN_OFFLINE:-}" == 1 ]] && MVN+=(-o)
OUT="bench/results/diff-ab-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

build() { # <dir>: compiles main and test classes, writes <dir>/target/ab-classpath.txt
  (cd "$1" && "${MVN[@]}" test-compile \
    && "${MVN[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/ab-classpath.txt >/dev/null)
}
classpath() { echo "$1/target/test-classes:$1/target/classes:$(cat "$1/target/ab-classpath.txt")"; }

echo "building after (this tree) and before ($BEFORE) ..."
build .
BEFORE_DIR="target/diff-ab-before-$(git rev-parse --short=12 "$BEFORE")"
if [[ ! -d "$BEFORE_DIR" ]]; then
  mkdir -p "$BEFORE_DIR.tmp" && git archive "$BEFORE" | tar -x -C "$BEFORE_DIR.tmp" && mv "$BEFORE_DIR.tmp" "$BEFORE_DIR"
fi
cp src/test/java/io/driftwatch/bench/DiffCpuRatio.java "$BEFORE_DIR/src/test/java/io/driftwatch/bench/"
build "$BEFORE_DIR"
# the runs use a copy of this tree's classes, so rebuilding it meanwhile does not mix two builds into one comparison
rm -rf target/diff-ab-after && mkdir -p target/diff-ab-after/target
cp -r target/classes target/test-classes target/ab-classpath.txt target/diff-ab-after/target/
CP_AFTER=$(classpath "$PWD/target/diff-ab-after")
CP_BEFORE=$(classpath "$PWD/$BEFORE_DIR")

{
  echo "before: $(git rev-parse "$BEFORE")"
  echo "after: $(git rev-parse HEAD)$(git diff --quiet HEAD -- src/main || echo ' + uncommitted changes in src/main')"
  echo "runs: $RUNS pairs, $ROUNDS rounds each ($((ROUNDS / 2)) warm-up), sets $SETS, heap $HEAP"
  echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "start: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt"

run() { # <label> <classpath> <file>
  { echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Xms"$HEAP" -Xmx"$HEAP" -XX:+AlwaysPreTouch -cp "$2" io.driftwatch.bench.DiffCpuRatio "$ROUNDS" "$SETS"
    echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  } >"$3"
  printf '  %-6s %s\n' "$1" "$(grep -c '^round' "$3") rounds, $(grep '# load after' "$3" | cut -d: -f2)"
}

for ((i = 1; i <= RUNS; i++)); do
  echo "pair $i of $RUNS ($(date -u +%T))"
  n=$(printf '%02d' "$i")
  if ((i % 2 == 1)); then
    run before "$CP_BEFORE" "$OUT/$n-before.tsv"; run after "$CP_AFTER" "$OUT/$n-after.tsv"
  else
    run after "$CP_AFTER" "$OUT/$n-after.tsv"; run before "$CP_BEFORE" "$OUT/$n-before.tsv"
  fi
done
echo "end: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"

echo
java -cp "$CP_AFTER" io.driftwatch.bench.DiffAbSummary "$OUT" | tee "$OUT/summary.md"
echo "raw rounds and machine state: $OUT"
