# Shared by the bench scripts (sourced, not run; the working directory is the repository root). Environment the
# scripts honour, all optional (bench/run-all.sh sets them):
#   BENCH_OUT         a directory for this run: raw results under fixed names plus figures.jsonl (the machine-readable
#                     figures, one {"name","unit","value"} per line); default: bench/results/<name>-<UTC time>.*
#   BENCH_SKIP_BUILD  1: do not run Maven, use what is in target/ (run-all.sh builds once before all runs)
#   BENCH_JAVA_OPTS   extra options for the benchmark JVM (run-all.sh sets -Djava.io.tmpdir to a directory it removes)

BENCH_CLASSPATH_FILE=target/bench-classpath.txt

# Builds what the benchmarks run: `bench_build` compiles main and test classes (JMH's annotation processor writes the
# benchmark list), `bench_build package` also builds target/driftwatch.jar; both write the test classpath.
bench_build() {
  if [[ "${BENCH_SKIP_BUILD:-}" == 1 ]]; then
    local need=(target/classes target/test-classes/META-INF/BenchmarkList "$BENCH_CLASSPATH_FILE")
    [[ "${1:-}" == package ]] && need+=(target/driftwatch.jar)
    for f in "${need[@]}"; do
      [[ -e $f ]] || { echo "BENCH_SKIP_BUILD=1 but $f is missing: build first (mvn package -DskipTests)" >&2; exit 2; }
    done
    return 0
  fi
  if [[ "${1:-}" == package ]]; then
    mvn -B -q --no-transfer-progress -Dstyle.color=never package -DskipTests
  else
    mvn -B -q --no-transfer-progress -Dstyle.color=never test-compile
  fi
  [[ -f target/test-classes/META-INF/BenchmarkList ]] \
    || { echo "no JMH BenchmarkList: the annotation processor did not run" >&2; exit 2; }
  if [[ ! -f "$BENCH_CLASSPATH_FILE" || pom.xml -nt "$BENCH_CLASSPATH_FILE" ]]; then
    mvn -B -q --no-transfer-progress -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$BENCH_CLASSPATH_FILE" >/dev/null
  fi
}

# Classpath of the benchmark classes, their main classes and every test-scope dependency.
bench_classpath() {
  echo "target/test-classes:target/classes:$(cat "$BENCH_CLASSPATH_FILE")"
}

# Prints the path prefix for a run's raw results: $BENCH_OUT/<name> or bench/results/<name>-<UTC time>.
bench_out_prefix() {
  if [[ -n "${BENCH_OUT:-}" ]]; then
    mkdir -p "$BENCH_OUT"
    echo "$BENCH_OUT/$1"
  else
    mkdir -p bench/results
    echo "bench/results/$1-$(date -u +%Y%m%dT%H%M%SZ)"
  fi
}

# Prints where a run's figures go: $BENCH_OUT/figures.jsonl, or next to the raw results.
bench_figures_file() { # <out prefix>
  if [[ -n "${BENCH_OUT:-}" ]]; then echo "$BENCH_OUT/figures.jsonl"; else echo "$1.figures.jsonl"; fi
}
