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
  # The build writes driftwatch.jsa beside this file: the classes a one-shot command loads, ready to map (class-data
  # sharing) instead of read from the jar. It fits only this file, at the path it was written for, and this JDK; one
  # that does not fit is ignored, silently (README: how to write one for a copy).
  if [ -f "$0.jsa" ]; then
    exec "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms32m "-XX:SharedArchiveFile=$0.jsa" -Xlog:cds=off \
      -Xlog:cds+dynamic=off ${JAVA_OPTS:-} -jar "$0" "$@"
  fi
  exec "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms32m ${JAVA_OPTS:-} -jar "$0" "$@"
fi
exec "$java" ${JAVA_OPTS:-} -jar "$0" "$@"
