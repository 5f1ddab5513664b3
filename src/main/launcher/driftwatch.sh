#!/bin/sh
# driftwatch launcher, written by `mvn package` as target/driftwatch: this shell script followed by the driftwatch jar
# (java -jar finds the jar's index at the end of the file). Copy it anywhere on PATH. Needs Java 17 or later:
# $JAVA_HOME/bin/java, else java on PATH. JAVA_OPTS adds JVM options (after the launcher's, so they win).
if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
if ! command -v "$java" >/dev/null 2>&1; then
  echo "driftwatch: needs Java 17 or later: set JAVA_HOME or put java on PATH" >&2
  exit 2
fi
# One-shot commands (diff, version, ...) run for seconds: the quick JIT tier only, on one compiler thread (a second
# one compiles methods the run has no time left to use), the serial collector starting from a small heap (it grows as
# needed), no perf-data file (jstat has nothing to watch in a run this short), one pool of direct buffers for the HTTP
# client instead of one per event loop (4 MiB each). The servers (agent, hub, demo) keep the JVM's defaults. --log-format/--log-level may come before the command's name.
one_shot=true
skip=false
for arg in "$@"; do
  if $skip; then skip=false; continue; fi
  case "$arg" in
    --log-format | --log-level) skip=true ;;
    -*) ;;
    agent | hub | demo) one_shot=false; break ;;
    *) break ;;
  esac
done
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
if $one_shot; then
  quick="-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xms32m -XX:-UsePerfData -Dio.netty.allocator.numDirectArenas=1 -Xlog:cds=off -Xlog:cds+dynamic=off"
  # Class-data sharing: the classes a run loads, mapped ready-made from driftwatch.jsa beside this file instead of
  # read and verified from the jar. `mvn package` writes it from a training run of this file that diffs against a
  # local HTTPS server, so it holds the client's classes too (TLS, HTTP, discovery, lists). It fits only this file and
  # the JDK that wrote it: copied elsewhere, keep the time stamps (cp -p); one that does not fit is ignored, silently.
  if [ -f "$0.jsa" ]; then
    exec "$java" $quick "-XX:SharedArchiveFile=$0.jsa" ${JAVA_OPTS:-} -jar "$0" "$@"
  fi
  exec "$java" $quick ${JAVA_OPTS:-} -jar "$0" "$@"
fi
exec "$java" ${JAVA_OPTS:-} -jar "$0" "$@"
