#!/bin/sh
# driftwatch launcher, written by `mvn package` as target/driftwatch: this shell script followed by the driftwatch jar
# (java -jar finds the jar's index at the end of the file). Copy it anywhere on PATH. Needs Java 17 or later:
# $JAVA_HOME/bin/java, else java on PATH. JAVA_OPTS adds JVM options (after the launcher's, so they win).
if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
if ! command -v "$java" >/dev/null 2>&1; then
  echo "driftwatch: needs Java 17 or later: set JAVA_HOME or put java on PATH" >&2
  exit 2
fi
# One-shot commands (diff, version, ...) run for seconds: the quick JIT tier only, the serial collector starting from a
# small heap (it grows as needed; a large first young generation only adds resident memory). The servers
# (agent, hub, demo) keep the JVM's defaults. --log-format/--log-level may come before the command's name.
one_shot=true
command=""
skip=false
for arg in "$@"; do
  if $skip; then skip=false; continue; fi
  case "$arg" in
    --log-format | --log-level) skip=true ;;
    -*) ;;
    agent | hub | demo) one_shot=false; break ;;
    *) command=$arg; break ;;
  esac
done
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
if $one_shot; then
  quick="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms32m -Xlog:cds=off -Xlog:cds+dynamic=off"
  # Class-data sharing: the classes a run loads, mapped ready-made instead of read and verified from the jar. The
  # first `diff` against a cluster writes an archive of everything it loaded (client, TLS, HTTP, JSON included) into
  # the cache directory, for this launcher file and this java; later runs map it. Until then, and for the other
  # commands, the build's archive beside this file (driftwatch.jsa) is used. An archive that does not fit (another
  # JDK) is ignored, silently; one older than this file is written again.
  cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/driftwatch/cds"
  self="$(cd "$(dirname "$0")" 2>/dev/null && pwd)/$(basename "$0")"
  key=$(printf '%s\n%s\n' "$self" "$(command -v "$java")" | cksum | cut -d' ' -f1)
  archive="$cache/driftwatch-$key.jsa"
  if [ -f "$archive" ] && [ ! "$0" -nt "$archive" ]; then
    exec "$java" $quick "-XX:SharedArchiveFile=$archive" ${JAVA_OPTS:-} -jar "$0" "$@"
  fi
  train=false
  if [ "$command" = diff ]; then
    train=true
    for arg in "$@"; do
      case "$arg" in --live | --live=*) train=false ;; esac # an offline diff loads no client classes
    done
  fi
  if $train && mkdir -p "$cache" 2>/dev/null; then
    "$java" $quick "-XX:ArchiveClassesAtExit=$archive.$$" ${JAVA_OPTS:-} -jar "$0" "$@"
    status=$?
    if [ -s "$archive.$$" ]; then mv -f "$archive.$$" "$archive"; else rm -f "$archive.$$"; fi
    exit $status
  fi
  if [ -f "$0.jsa" ]; then
    exec "$java" $quick "-XX:SharedArchiveFile=$0.jsa" ${JAVA_OPTS:-} -jar "$0" "$@"
  fi
  exec "$java" $quick ${JAVA_OPTS:-} -jar "$0" "$@"
fi
exec "$java" ${JAVA_OPTS:-} -jar "$0" "$@"
