#!/bin/sh
# driftwatch launcher, written by `mvn package` as target/driftwatch: this shell script followed by the driftwatch jar
# (java -jar finds the jar's index at the end of the file). Copy it anywhere on PATH. Needs Java 17 or later:
# $JAVA_HOME/bin/java, else java on PATH. JAVA_OPTS adds JVM options.
if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
if ! command -v "$java" >/dev/null 2>&1; then
  echo "driftwatch: needs Java 17 or later: set JAVA_HOME or put java on PATH" >&2
  exit 2
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec "$java" ${JAVA_OPTS:-} -jar "$0" "$@"
