#!/usr/bin/env bash
# Runs driftwatch's benchmarks, each several times, and summarises them against the targets. See --help and
# docs/benchmarks.md ("One command").
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

usage() {
  cat <<'EOF'
Usage: bench/run-all.sh [--repeat N] [--only diff,scale,hub,cli,peers,flux] [--sizes 10000,50000] [--quick]

Runs driftwatch's benchmarks N times each, one after the other, and writes bench/results/<UTC time>/:
  machine.json    CPU model, cores, memory, kernel, OS, JDK, load average, and this run's parameters
  runs/<id>/      one directory per benchmark run (diff-1, scale-10000-1, hub-1, ...): output.log (all it printed),
                  its raw results, figures.jsonl (one {"name","unit","value"} per line) and run.json (status,
                  duration, time limit, load average before and after)
  summary.json    the machine, every run, and per figure: name, unit, target, every run's value, min, median, max,
                  pass (the median against the target) and how many runs met the target on their own
  summary.md      the same as Markdown tables (also printed at the end)

Options:
  --repeat N     run each benchmark N times (default 3); repeats are interleaved (all benchmarks, then again)
  --only LIST    comma-separated subset of diff,scale,hub,cli,peers,flux (default: diff,scale,hub,cli)
                   diff   bench/run-diff.sh: JMH, engine vs Jackson parse vs zjsonpatch (≈ 10 min a run)
                   scale  bench/run-agent-scale.sh: the agent on a real kube-apiserver (≈ 3 min at 10k, 7 min at 50k)
                   hub    bench/hub.sh: hub ingest and queries on SQLite and PostgreSQL (≈ 1.5 min)
                   cli    bench/run-cli.sh: driftwatch diff vs kubectl diff at 25 and 1,000 objects on a real
                          kube-apiserver, 5 alternating runs each (≈ 23 min; kubectl diff takes 3-4 min at 1,000)
                   peers  bench/run-peers.sh: the agent beside Argo CD's application controller on the same
                          objects and changes, one size per run (--sizes; needs scripts/test-binaries.sh
                          --argocd-controller); not in the default set
                   flux   bench/run-flux-diff.sh: driftwatch diff --flux-kustomization vs flux diff kustomization
                          on the same real Flux, Kustomizations and out-of-band changes, 5 alternating runs each
                          (needs scripts/test-binaries.sh flux-cli); not in the default set
  --sizes LIST   object counts for scale and peers (default 10000,50000; with --quick 300)
  --quick        small sizes, few iterations: checks that the harness works in a few minutes; its figures are not
                 comparable with the targets and a missed target does not fail the run
  -h, --help     this text

Each run has a time limit; a run that exceeds it, or the whole script when interrupted (Ctrl-C, SIGTERM), stops the
run's process group (SIGTERM, SIGKILL 60 s later): the JVMs' shutdown hooks stop the kube-apiserver, etcd, the agent
and PostgreSQL, and what a killed run left in the script's temporary directory is stopped and removed.
Limits: diff 30 min, scale 10 min + 36 s per 1,000 objects, hub 15 min, cli 40 min, peers 20 min + 90 s per 1,000
objects, flux 20 min; BENCH_TIME_LIMIT=<seconds> overrides them all.

Exit status: 0 every run succeeded and every target was met; 1 a run failed or timed out; 2 bad usage or a missing
prerequisite; 3 a target was missed (full runs only); 130 interrupted.
Needs a JDK 17 with jcmd and jstat, Maven and coreutils' timeout; scale needs the test binaries (built by
scripts/test-binaries.sh when missing, 10-20 min), hub needs PostgreSQL's server binaries (apt-get install postgresql).
EOF
}

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 2; }

repeat=3
only=diff,scale,hub,cli
sizes=""
quick=false
command_line="bench/run-all.sh $*"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --repeat) [[ $# -ge 2 ]] || die "--repeat needs a number"; repeat=$2; shift 2 ;;
    --only) [[ $# -ge 2 ]] || die "--only needs a list, e.g. --only diff,hub"; only=$2; shift 2 ;;
    --sizes) [[ $# -ge 2 ]] || die "--sizes needs a list, e.g. --sizes 10000,50000"; sizes=$2; shift 2 ;;
    --quick) quick=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) say "unknown argument '$1'"; usage >&2; exit 2 ;;
  esac
done
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || die "--repeat must be a whole number ≥ 1, got '$repeat'"
[[ -n "$sizes" ]] || { if $quick; then sizes=300; else sizes=10000,50000; fi; }
[[ "$sizes" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--sizes must be positive whole numbers separated by commas, got '$sizes'"
IFS=, read -r -a chosen <<<"$only"
[[ ${#chosen[@]} -gt 0 ]] || die "--only must name at least one of diff, scale, hub, cli, peers, flux"
for b in "${chosen[@]}"; do
  [[ "$b" =~ ^(diff|scale|hub|cli|peers|flux)$ ]] || die "--only: unknown benchmark '$b' (choose from diff, scale, hub, cli, peers, flux)"
done
[[ -z "${BENCH_TIME_LIMIT:-}" || "$BENCH_TIME_LIMIT" =~ ^[1-9][0-9]*$ ]] \
  || die "BENCH_TIME_LIMIT must be a number of seconds, got '$BENCH_TIME_LIMIT'"
selected() { [[ ",$only," == *",$1,"* ]]; }
IFS=, read -r -a size_list <<<"$sizes"
mode=full; $quick && mode=quick

# Time limit (seconds) and expected duration on the 2-core reference machine (docs/benchmarks.md), per run.
limit_for() { # benchmark [size]
  if [[ -n "${BENCH_TIME_LIMIT:-}" ]]; then echo "$BENCH_TIME_LIMIT"; return; fi
  case "$1:$mode" in
    diff:full) echo 1800 ;; diff:quick) echo 600 ;;
    scale:full) echo $(( 600 + $2 * 36 / 1000 )) ;; scale:quick) echo $(( 900 + $2 * 36 / 1000 )) ;;
    hub:full) echo 900 ;; hub:quick) echo 600 ;;
    cli:full) echo 2400 ;; cli:quick) echo 900 ;;
    peers:*) echo $(( 1200 + $2 * 90 / 1000 )) ;;
    flux:*) echo 1200 ;;
  esac
}
expected_for() { # benchmark [size]
  case "$1:$mode" in
    diff:full) echo 600 ;; diff:quick) echo 90 ;;
    scale:full) echo $(( 300 + $2 * 55 / 10000 )) ;;   # 4 idle minutes: ≈ 6 min at 10k, ≈ 9½ at 50k
    scale:quick) echo $(( 100 + $2 * 65 / 10000 )) ;;
    hub:full) echo 90 ;; hub:quick) echo 45 ;;
    cli:full) echo 1380 ;; cli:quick) echo 180 ;;
    peers:full) echo $(( 480 + $2 * 60 / 1000 )) ;; peers:quick) echo $(( 300 + $2 * 60 / 1000 )) ;;
    flux:full) echo 300 ;; flux:quick) echo 180 ;;
  esac
}

# Prerequisites, checked before anything runs.
for c in java mvn timeout; do command -v "$c" >/dev/null 2>&1 || die "'$c' is not on PATH"; done
if selected cli || selected flux; then
  [[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is needed by the cli and flux benchmarks: apt-get install time"
fi
if selected scale || selected cli || selected peers || selected flux; then
  for c in jcmd jstat; do command -v "$c" >/dev/null 2>&1 || die "'$c' is not on PATH: the scale benchmark needs a full JDK"; done
  scripts/test-binaries.sh || die "scripts/test-binaries.sh could not build the kube-apiserver and etcd"
  while IFS= read -r line; do export "${line?}"; done < <(scripts/test-binaries.sh --print)
fi
if selected peers; then
  command -v redis-server >/dev/null 2>&1 || die "redis-server is needed by the peers benchmark (Argo CD): apt-get install redis-server"
  scripts/test-binaries.sh --argocd-controller || die "scripts/test-binaries.sh --argocd-controller could not build Argo CD"
fi
if selected flux; then
  scripts/test-binaries.sh flux-cli || die "scripts/test-binaries.sh flux-cli could not build Flux's CLI"
fi
pg_bin=""
if selected hub; then
  for d in /usr/lib/postgresql/*/bin "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { pg_bin=$d; break; }
  done
  [[ -n "$pg_bin" ]] || die "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
dir=bench/results/$stamp
mkdir -p "$dir/runs"
# The benchmark JVMs' temporary files (local cluster and PostgreSQL data, SQLite files, the agent's manifests) go here;
# it is emptied after every run and removed at exit. PostgreSQL runs as user postgres and must reach its data dir.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/driftwatch-bench.XXXXXX")
chmod 755 "$tmp"
current_pid=""
current_id=""

# Stops the running benchmark: SIGTERM to `timeout`, which passes it to the run's whole process group, then SIGKILL
# to that group after 60 s. Afterwards nothing of the group may be left (a JVM's shutdown hook can still be running).
stop_current() {
  [[ -n "$current_pid" ]] || return 0
  if kill -0 "$current_pid" 2>/dev/null; then
    say "stopping $current_id (SIGTERM; SIGKILL after 60 s)"
    kill -TERM "$current_pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$current_pid" 2>/dev/null || break; sleep 1; done
  fi
  wait "$current_pid" 2>/dev/null || true
  if kill -0 -- "-$current_pid" 2>/dev/null; then   # processes of the run's group outlived it
    kill -TERM -- "-$current_pid" 2>/dev/null || true
    sleep 5
    kill -KILL -- "-$current_pid" 2>/dev/null || true
  fi
  current_pid=""
}

# Stops servers a killed run left in the temporary directory, then empties it.
clean_tmp() {
  local data pidfile pid
  for data in "$tmp"/driftwatch-postgres/run-*/data; do
    [[ -f "$data/postmaster.pid" ]] || continue
    say "stopping the PostgreSQL server a run left in $data"
    if [[ $(id -u) -eq 0 ]]; then
      runuser -u postgres -- "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    else
      "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  done
  for pidfile in "$tmp"/driftwatch-localkube/run-*/children.pid; do
    [[ -f "$pidfile" ]] || continue
    while read -r pid; do
      [[ "$pid" =~ ^[0-9]+$ ]] || continue
      if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qE '(^|/)(etcd|kube-apiserver) '; then
        say "killing process $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-60)) a run left behind"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done <"$pidfile"
  done
  find "$tmp" -mindepth 1 -delete 2>/dev/null || rm -rf "${tmp:?}"/* 2>/dev/null || true
}

write_run_json() { # id benchmark repeat size status exit seconds limit started load_before load_after
  printf '{"id": "%s", "benchmark": "%s", "repeat": %d, "size": %s, "status": "%s", "exit": %d, "seconds": %d,
 "limitSeconds": %d, "started": "%s", "loadBefore": "%s", "loadAfter": "%s"}\n' "$@" >"$dir/runs/$1/run.json"
}

interrupted() {
  trap - INT TERM
  say "interrupted"
  if [[ -n "$current_pid" ]]; then
    stop_current
    write_run_json "$current_id" "$run_benchmark" "$run_repeat" "$run_size" interrupted 130 \
      $(( $(date +%s) - run_t0 )) "$run_limit" "$run_started" "$run_load_before" "$(cut -d' ' -f1 /proc/loadavg)"
  fi
  summarize || true
  exit 130
}
on_exit() {
  stop_current
  clean_tmp
  rm -rf "$tmp"
}
trap interrupted INT TERM
trap on_exit EXIT

run_one() { # id benchmark repeat size command...
  current_id=$1 run_benchmark=$2 run_repeat=$3 run_size=$4
  shift 4
  local out=$dir/runs/$current_id status rc=0
  mkdir -p "$out"
  run_limit=$(limit_for "$run_benchmark" "$run_size")
  run_started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  run_load_before=$(cut -d' ' -f1 /proc/loadavg)
  run_t0=$(date +%s)
  say "$current_id: started $(date -u +%H:%M:%S), limit ${run_limit} s, output in $out/output.log"
  # timeout puts the run in its own process group and signals that whole group when the limit is reached.
  BENCH_OUT=$out BENCH_SKIP_BUILD=1 BENCH_JAVA_OPTS="-Djava.io.tmpdir=$tmp ${extra_java_opts:-}" \
    timeout --kill-after=60 "$run_limit" "$@" >"$out/output.log" 2>&1 </dev/null &
  current_pid=$!
  wait "$current_pid" || rc=$?
  stop_current
  clean_tmp
  local seconds=$(( $(date +%s) - run_t0 ))
  # timeout exits 124 when the limit was reached, 137 when the run then needed SIGKILL too (or was killed otherwise)
  if [[ $rc -eq 0 ]]; then status=ok
  elif [[ $rc -eq 124 || ( $rc -eq 137 && $seconds -ge $run_limit ) ]]; then status=timed-out
  else status=failed
  fi
  if [[ $status == ok && ! -s "$out/figures.jsonl" ]]; then
    status=failed; rc=1
    say "$current_id: exited 0 but wrote no figures"
  fi
  write_run_json "$current_id" "$run_benchmark" "$run_repeat" "$run_size" "$status" "$rc" "$seconds" "$run_limit" \
    "$run_started" "$run_load_before" "$(cut -d' ' -f1 /proc/loadavg)"
  say "$current_id: $status in ${seconds} s"
  if [[ $status != ok ]]; then
    say "last lines of $out/output.log:"; tail -n 15 "$out/output.log" >&2 || true
  fi
  current_id=""
}

summarize() {
  [[ -f "$dir/machine.json" ]] || return 1
  java -cp "$(bench_classpath)" io.driftwatch.bench.BenchSummary summarize "$dir"
}

# Everything is built once, before the runs (the runs use BENCH_SKIP_BUILD=1).
say "building (mvn package -DskipTests) ..."
BENCH_SKIP_BUILD=0 bench_build package

expected=0
for r in $(seq "$repeat"); do
  selected diff && expected=$(( expected + $(expected_for diff) ))
  if selected scale; then for n in "${size_list[@]}"; do expected=$(( expected + $(expected_for scale "$n") )); done; fi
  selected hub && expected=$(( expected + $(expected_for hub) ))
  selected cli && expected=$(( expected + $(expected_for cli) ))
  if selected peers; then for n in "${size_list[@]}"; do expected=$(( expected + $(expected_for peers "$n") )); done; fi
  selected flux && expected=$(( expected + $(expected_for flux) ))
done
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=false; [[ -z "$(git status --porcelain 2>/dev/null)" ]] || dirty=true
java -cp "$(bench_classpath)" io.driftwatch.bench.BenchSummary machine "$dir/machine.json" "mode=$mode" \
  "repeat=$repeat" "only=$only" "sizes=$sizes" "command=$command_line" "commit=$commit" "dirty=$dirty"
say "$mode run: $only × $repeat (scale sizes $sizes) into $dir; expected ≈ $(( (expected + 59) / 60 )) min on 2 quiet cores"

for r in $(seq "$repeat"); do
  if selected diff; then
    if $quick; then
      BENCH_WARMUP="1 1s" BENCH_MEASURE="2 1s" BENCH_HEAP=1g \
        run_one "diff-$r" diff "$r" null bench/run-diff.sh -p mix=CONFIGMAP,DEPLOYMENT -p count=200
    else
      run_one "diff-$r" diff "$r" null bench/run-diff.sh
    fi
  fi
  if selected scale; then
    for n in "${size_list[@]}"; do
      if $quick; then
        extra_java_opts="-Ddriftwatch.bench.samples=5 -Ddriftwatch.bench.settleSeconds=3 -Ddriftwatch.bench.idleSeconds=5 -Ddriftwatch.bench.idleWindows=2" \
          run_one "scale-$n-$r" scale "$r" "$n" bench/run-agent-scale.sh "$n" 1
      else
        run_one "scale-$n-$r" scale "$r" "$n" bench/run-agent-scale.sh "$n" 1
      fi
    done
  fi
  if selected hub; then
    if $quick; then
      run_one "hub-$r" hub "$r" null bench/hub.sh agents=2 batches=10 batch=50 rate=1000 seconds=3 drifts=200 queries=20
    else
      run_one "hub-$r" hub "$r" null bench/hub.sh
    fi
  fi
  if selected cli; then
    if $quick; then
      run_one "cli-$r" cli "$r" null bench/run-cli.sh 25 2
    else
      run_one "cli-$r" cli "$r" null bench/run-cli.sh
    fi
  fi
  if selected peers; then
    for n in "${size_list[@]}"; do
      if $quick; then
        extra_java_opts="-Ddriftwatch.bench.samples=5 -Ddriftwatch.bench.settleSeconds=5 -Ddriftwatch.bench.idleSeconds=10" \
          run_one "peers-$n-$r" peers "$r" "$n" bench/run-peers.sh "$n" 1
      else
        run_one "peers-$n-$r" peers "$r" "$n" bench/run-peers.sh "$n" 1
      fi
    done
  fi
  if selected flux; then
    if $quick; then
      run_one "flux-$r" flux "$r" null bench/run-flux-diff.sh 1
    else
      run_one "flux-$r" flux "$r" null bench/run-flux-diff.sh
    fi
  fi
done

rc=0
summarize || rc=$?
say "results: $dir/summary.md and $dir/summary.json"
if [[ $rc -eq 3 ]] && $quick; then
  say "quick mode: targets are not judged (figures from small sizes and short runs)"
  rc=0
fi
exit "$rc"
