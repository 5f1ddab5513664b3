#!/usr/bin/env bash
# Builds the real servers and tools the integration tests run, from Go modules, into a per-version cache
# outside the repository. Skips whatever is already built. Prints what it did and how long it took (wall time and
# CPU seconds, user + system).
#
#   scripts/test-binaries.sh            # build everything the test suite needs
#   scripts/test-binaries.sh --print    # print the directory the binaries live in (after building)
#   scripts/test-binaries.sh oidc-op    # build only the named ones (etcd, kubernetes, kustomize, helm, prometheus,
#                                       # argocd, flux, flux-sources, flux-values, oidc-op; argocd-controller and
#                                       # flux-cli are never built unless named)
#   scripts/test-binaries.sh --argocd-controller   # = argocd-controller: Argo CD with its application controller,
#                                                  # for bench/run-peers.sh only
#
# Versions are pinned here; the cache directory is keyed by them, so changing a version builds anew.
set -euo pipefail

K8S_VERSION="${DRIFTWATCH_K8S_VERSION:-1.36.3}"
ETCD_VERSION="${DRIFTWATCH_ETCD_VERSION:-3.6.8}"
KUSTOMIZE_VERSION="${DRIFTWATCH_KUSTOMIZE_VERSION:-5.8.1}"
HELM_VERSION="${DRIFTWATCH_HELM_VERSION:-4.2.1}"
# A Prometheus with an OTLP receiver (Debian's 2.42 has none) for the OTLP push test. Prometheus 3.X.Y is published
# as Go module version v0.3XX.Y.
PROMETHEUS_OTLP_VERSION="${DRIFTWATCH_PROMETHEUS_OTLP_VERSION:-3.15.0}"
ARGOCD_VERSION="${DRIFTWATCH_ARGOCD_VERSION:-3.5.1}"
ARGOCD_COMMIT="${DRIFTWATCH_ARGOCD_COMMIT:-109ca7ca71139e514114499d294a492e7910a965}"   # the v3.5.1 tag
# gitops-engine pseudo-version used when the module proxy will not resolve the tag's commit (see build_argocd)
ARGOCD_GITOPS_ENGINE_FALLBACK="${DRIFTWATCH_ARGOCD_GITOPS_ENGINE:-v0.0.0-20260914071520-c9c369efcc5b}"
# The OpenID provider the console's OIDC sign-in test signs in through: zitadel/oidc's example OP (see build_oidc_op).
ZITADEL_OIDC_VERSION="${DRIFTWATCH_ZITADEL_OIDC_VERSION:-3.52.0}"
# Flux's source-controller and kustomize-controller, v1.9.6 (Flux v2.8; v1.10 needs Go 1.27 and module versions the
# proxy does not serve). source-controller v1.9.6 requires github.com/fluxcd/pkg/artifact v0.18.3, whose zip the module
# proxy does not serve; v0.18.1 (same minor, same API) is pinned instead ("module version;..." in FLUX_PINS).
FLUX_SOURCE_CONTROLLER_VERSION="${DRIFTWATCH_FLUX_SOURCE_CONTROLLER_VERSION:-1.9.6}"
FLUX_KUSTOMIZE_CONTROLLER_VERSION="${DRIFTWATCH_FLUX_KUSTOMIZE_CONTROLLER_VERSION:-1.9.6}"
FLUX_PINS="${DRIFTWATCH_FLUX_PINS:-github.com/fluxcd/pkg/artifact v0.18.1}"
# The servers Flux's OCIRepository and Bucket sources read in the tests: go-containerregistry's in-memory OCI registry
# (cmd/registry) and gofakes3 (an S3 server; MinIO's server is AGPL, so not that), built together (see build_flux_sources).
GO_CONTAINERREGISTRY_VERSION="${DRIFTWATCH_GO_CONTAINERREGISTRY_VERSION:-0.22.1}"
GOFAKES3_VERSION="${DRIFTWATCH_GOFAKES3_VERSION:-1.2.0}"
# Flux's own CLI, for bench/run-flux-diff.sh only (`flux diff kustomization` beside driftwatch): v2.9.5, the newest the
# module proxy serves that builds with Go 1.26 (its go.mod says go 1.26.0; the other served version is v2.6.4).
FLUX_CLI_VERSION="${DRIFTWATCH_FLUX_CLI_VERSION:-2.9.5}"
# Flux's values code (github.com/fluxcd/pkg/chartutil: ChartValuesFromReferences, DigestValues), run by a small main
# the HelmRelease values-digest test compares driftwatch's Java with (see build_flux_values). helm-controller v1.6.3
# requires v1.27.0, which the module proxy refuses; v1.27.2 (source-controller v1.9.6's) has the same encode.go,
# digest.go, sort.go, values.go and merge.go (its only changes are dependency versions).
FLUX_CHARTUTIL_VERSION="${DRIFTWATCH_FLUX_CHARTUTIL_VERSION:-1.27.2}"
CACHE_ROOT="${DRIFTWATCH_CACHE:-$HOME/.cache/driftwatch}"

K8S_DIR="$CACHE_ROOT/k8s-v$K8S_VERSION"
ETCD_DIR="$CACHE_ROOT/etcd-v$ETCD_VERSION"
KUSTOMIZE_DIR="$CACHE_ROOT/kustomize-v$KUSTOMIZE_VERSION"
HELM_DIR="$CACHE_ROOT/helm-v$HELM_VERSION"
PROMETHEUS_DIR="$CACHE_ROOT/prometheus-v$PROMETHEUS_OTLP_VERSION"
# "-server": only the roles the tests run (see build_argocd), so a full multi-call build is never taken for it
ARGOCD_DIR="$CACHE_ROOT/argocd-v$ARGOCD_VERSION-server"
# "-controller": the same roles plus the application controller, for bench/run-peers.sh only (--argocd-controller)
ARGOCD_CONTROLLER_DIR="$CACHE_ROOT/argocd-v$ARGOCD_VERSION-controller"
# -r2: the revision of the small main below (r2 registers post-logout redirect URIs and reports ended sessions); a new
# revision is a new cache directory, so a cached older build is never used with a test that needs the newer one
OIDC_OP_REVISION=r2
OIDC_OP_DIR="$CACHE_ROOT/zitadel-oidc-op-v$ZITADEL_OIDC_VERSION-$OIDC_OP_REVISION"
FLUX_SOURCE_DIR="$CACHE_ROOT/source-controller-v$FLUX_SOURCE_CONTROLLER_VERSION"
FLUX_KUSTOMIZE_DIR="$CACHE_ROOT/kustomize-controller-v$FLUX_KUSTOMIZE_CONTROLLER_VERSION"
OCI_REGISTRY_DIR="$CACHE_ROOT/registry-v$GO_CONTAINERREGISTRY_VERSION"
FLUX_CLI_DIR="$CACHE_ROOT/flux-cli-v$FLUX_CLI_VERSION"
GOFAKES3_DIR="$CACHE_ROOT/gofakes3-v$GOFAKES3_VERSION"
# -r1: the revision of the small main below; a new revision is a new cache directory
FLUX_VALUES_REVISION=r1
FLUX_VALUES_DIR="$CACHE_ROOT/flux-chartutil-v$FLUX_CHARTUTIL_VERSION-$FLUX_VALUES_REVISION"

say() { printf '[test-binaries] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

if [[ "${1:-}" == "--print" ]]; then
  # Machine-readable: KEY=path lines the test command exports for the JVM.
  echo "DRIFTWATCH_KUBE_APISERVER=$K8S_DIR/kube-apiserver"
  echo "DRIFTWATCH_KUBECTL=$K8S_DIR/kubectl"
  echo "DRIFTWATCH_KUBE_CONTROLLER_MANAGER=$K8S_DIR/kube-controller-manager"
  echo "DRIFTWATCH_KUBE_SCHEDULER=$K8S_DIR/kube-scheduler"
  echo "DRIFTWATCH_ETCD=$ETCD_DIR/etcd"
  echo "DRIFTWATCH_KUSTOMIZE=$KUSTOMIZE_DIR/kustomize"
  echo "DRIFTWATCH_HELM=$HELM_DIR/helm"
  echo "DRIFTWATCH_PROMETHEUS_OTLP=$PROMETHEUS_DIR/prometheus"
  echo "DRIFTWATCH_ARGOCD=$ARGOCD_DIR/argocd"
  echo "DRIFTWATCH_ARGOCD_CONTROLLER=$ARGOCD_CONTROLLER_DIR/argocd"
  echo "DRIFTWATCH_OIDC_OP=$OIDC_OP_DIR/oidc-op"
  echo "DRIFTWATCH_FLUX_SOURCE_CONTROLLER=$FLUX_SOURCE_DIR/source-controller"
  echo "DRIFTWATCH_FLUX_KUSTOMIZE_CONTROLLER=$FLUX_KUSTOMIZE_DIR/kustomize-controller"
  echo "DRIFTWATCH_OCI_REGISTRY=$OCI_REGISTRY_DIR/registry"
  echo "DRIFTWATCH_GOFAKES3=$GOFAKES3_DIR/gofakes3"
  echo "DRIFTWATCH_FLUX_CLI=$FLUX_CLI_DIR/flux"
  echo "DRIFTWATCH_FLUX_HELM_VALUES=$FLUX_VALUES_DIR/flux-helm-values"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is not installed or not on PATH. The test API server is built from Go modules: install Go >= 1.24 (https://go.dev/doc/install) and rerun."
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
[[ "$go_minor" =~ ^[0-9]+$ && "$go_minor" -ge 24 ]] || die "Go $(go env GOVERSION) is too old: Go >= 1.24 is needed."

export GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
# Every binary is built with the same flags (-trimpath -buildvcs=false and these), so packages two builds share, the
# standard library first of all, are compiled once into the one Go build cache. No debug information: -s -w leaves the
# symbol table and DWARF out of the link (panics still print file:line stack traces), so the compiler need not produce
# DWARF either.
NO_DEBUG_LDFLAGS="-s -w"
NO_DEBUG_GCFLAGS="-gcflags=all=-dwarf=false"
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)

elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
# CPU time (user + system) of the builds this script has run so far, in clock ticks: the shell's reaped children, read
# from /proc. Wall time depends on what else the machine runs; CPU time is what a build costs.
ticks_per_second=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_ticks() { awk '{print $16 + $17}' "/proc/$$/stat" 2>/dev/null || echo 0; }
took() { # start-seconds start-ticks
  echo "$(elapsed "$1"), $(( ($(cpu_ticks) - $2) / ticks_per_second )) CPU-s"
}

# The path of a module version's published go.mod (downloaded through the module proxy into the module cache).
published_gomod() { # module@version workdir
  local info gomod
  info=$(cd "$2" && go mod download -json "$1" 2>&1) || true
  gomod=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' <<<"$info")
  [[ -n "$gomod" && -f "$gomod" ]] || die "could not download $1 through the Go module proxy: $info"
  echo "$gomod"
}

# A copy of a published module version to build with changes (hard links into the module cache, else a copy): its
# directories writable, so files can be added or replaced (replace a file by a new one, never by writing through the
# link). `go build -overlay` may not replace files in the module cache, hence the copy.
module_copy() { # module version dest workdir
  local published
  published=$(cd "$4" && go mod download -json "$1@$2" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [[ -n "$published" && -d "$published" ]] || die "could not download $1@$2 through the Go module proxy"
  cp -al "$published" "$3" 2>/dev/null || cp -a "$published" "$3"
  # the module cache's directories are read-only: the copy's (new directories, not links) must be writable
  find "$3" -type d -exec chmod u+w {} +
}

# Every replace of a published go.mod whose target is a module (not a ./local path), from blocks and single-line
# statements alike, as lines of a replace block.
published_replaces() { # go.mod
  sed -E 's://.*$::; s/^replace[[:space:]]+//' "$1" | awk '$2 == "=>" && $3 !~ /^\./ && NF == 4 {print "\t" $1 " => " $3 " " $4}'
}

# kube-apiserver and kubectl: k8s.io/kubernetes cannot be `go install`ed (its go.mod replaces its staging modules
# with local paths), so build inside a throw-away wrapper module that replaces each staging module with its
# published v0.X.Y tag. The list of staging modules is read from the published go.mod, so it cannot drift.
build_kubernetes() {
  local bins=(kube-apiserver kubectl kube-controller-manager kube-scheduler) b missing=false
  for b in "${bins[@]}"; do [[ -x "$K8S_DIR/$b" ]] || missing=true; done
  if [[ $missing == false ]]; then
    say "${bins[*]} v$K8S_VERSION: cached in $K8S_DIR"; return
  fi
  local start t0; start=$(date +%s); t0=$(cpu_ticks)
  say "building ${bins[*]} v$K8S_VERSION ..."
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  local gomod; gomod=$(published_gomod "k8s.io/kubernetes@v$K8S_VERSION" "$work")
  local minor="${K8S_VERSION#*.}"; minor="${minor%%.*}"
  local staging_version="v0.${K8S_VERSION#*.}"
  {
    echo "module driftwatch.local/k8sbuild"
    grep -E '^go [0-9]' "$gomod"
    grep -E '^godebug ' "$gomod" || true
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo "replace ("
    grep -E '=>[[:space:]]+\./staging/' "$gomod" | awk -v v="$staging_version" '{print "\t" $1 " => " $1 " " v}'
    echo ")"
  } >"$work/go.mod"
  local n; n=$(grep -c ' => k8s.io/' "$work/go.mod" || true)
  say "wrapper module replaces $n staging modules with $staging_version"
  local ldflags=""
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=$build_date"
  done
  mkdir -p "$K8S_DIR.tmp"
  # kube-controller-manager and kube-scheduler run beside the API server in every test cluster, so verdicts are
  # judged with the cluster's own controllers writing into the objects (ReplicaSets, revision annotations, tokens,
  # finalizers, EndpointSlices, garbage collection).
  # One `go build` for all four: their packages are loaded once, and their links run in parallel.
  local pkgs=(); for b in "${bins[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  (cd "$work" && go build -trimpath -buildvcs=false -tags selinux,notest,grpcnotrace $NO_DEBUG_GCFLAGS \
      -ldflags "$NO_DEBUG_LDFLAGS $ldflags" -o "$K8S_DIR.tmp/" "${pkgs[@]}")
  rm -rf "$K8S_DIR"; mv "$K8S_DIR.tmp" "$K8S_DIR"
  say "built ${bins[*]} v$K8S_VERSION in $(took "$start" "$t0") -> $K8S_DIR"
}

# etcd: the server binary is the root package of go.etcd.io/etcd/server/v3, whose go.mod has replaces too;
# build it from a wrapper that requires it as a tool.
build_etcd() {
  if [[ -x "$ETCD_DIR/etcd" ]]; then say "etcd v$ETCD_VERSION: cached in $ETCD_DIR"; return; fi
  local start t0; start=$(date +%s); t0=$(cpu_ticks)
  say "building etcd v$ETCD_VERSION ..."
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  (cd "$work" && go mod init driftwatch.local/etcdbuild >/dev/null 2>&1 \
     && go get -tool "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >/dev/null 2>&1 \
     || die "could not fetch go.etcd.io/etcd/server/v3@v$ETCD_VERSION through the Go module proxy")
  mkdir -p "$ETCD_DIR.tmp"
  (cd "$work" && go build -trimpath -buildvcs=false $NO_DEBUG_GCFLAGS -ldflags "$NO_DEBUG_LDFLAGS" \
      -o "$ETCD_DIR.tmp/etcd" go.etcd.io/etcd/server/v3)
  rm -rf "$ETCD_DIR"; mv "$ETCD_DIR.tmp" "$ETCD_DIR"
  say "built etcd v$ETCD_VERSION in $(took "$start" "$t0") -> $ETCD_DIR"
}

# kustomize and helm build with a plain `go install` at their release tags.
build_plain() { # name dir module version [ldflags]
  local name=$1 dir=$2 module=$3 version=$4 ldflags=${5:-}
  if [[ -x "$dir/$name" ]]; then say "$name v$version: cached in $dir"; return; fi
  local start t0; start=$(date +%s); t0=$(cpu_ticks)
  say "building $name v$version ..."
  mkdir -p "$dir.tmp"
  GOBIN="$dir.tmp" go install -trimpath -buildvcs=false $NO_DEBUG_GCFLAGS -ldflags "$NO_DEBUG_LDFLAGS $ldflags" \
    "$module@v$version"
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  say "built $name v$version in $(took "$start" "$t0") -> $dir"
}

# prometheus: `go install` is refused (its go.mod has a replace directive), so build from a wrapper module that
# copies the published go.mod's replace and exclude directives. Tag remove_all_sd leaves out the cloud service
# discovery plugins (static and file discovery remain); without tag builtinassets the web UI is absent, the API works.
build_prometheus() {
  if [[ -x "$PROMETHEUS_DIR/prometheus" ]]; then
    say "prometheus v$PROMETHEUS_OTLP_VERSION: cached in $PROMETHEUS_DIR"; return
  fi
  local start t0; start=$(date +%s); t0=$(cpu_ticks)
  local major=${PROMETHEUS_OTLP_VERSION%%.*} rest=${PROMETHEUS_OTLP_VERSION#*.}
  local minor=${rest%%.*} patch=${rest#*.}
  [[ "$major" == 3 ]] || die "only Prometheus 3.x is supported here (got $PROMETHEUS_OTLP_VERSION)"
  local modversion="v0.$((300 + minor)).$patch"
  say "building prometheus v$PROMETHEUS_OTLP_VERSION (module $modversion) ..."
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  local gomod; gomod=$(published_gomod "github.com/prometheus/prometheus@$modversion" "$work")
  {
    echo "module driftwatch.local/prometheusbuild"
    grep -E '^go [0-9]' "$gomod"
    echo "require github.com/prometheus/prometheus $modversion"
    grep -E '^replace ' "$gomod" || true
    awk '/^exclude \(/{p=1} p{print} p&&/^\)/{p=0}' "$gomod"
  } >"$work/go.mod"
  local v=github.com/prometheus/common/version
  local ldflags="-X $v.Version=$PROMETHEUS_OTLP_VERSION -X $v.Branch=HEAD -X $v.BuildDate=$build_date"
  mkdir -p "$PROMETHEUS_DIR.tmp"
  (cd "$work" && go build -trimpath -buildvcs=false -tags remove_all_sd $NO_DEBUG_GCFLAGS \
      -ldflags "$NO_DEBUG_LDFLAGS $ldflags" -o "$PROMETHEUS_DIR.tmp/prometheus" github.com/prometheus/prometheus/cmd/prometheus)
  rm -rf "$PROMETHEUS_DIR"; mv "$PROMETHEUS_DIR.tmp" "$PROMETHEUS_DIR"
  say "built prometheus v$PROMETHEUS_OTLP_VERSION in $(took "$start" "$t0") -> $PROMETHEUS_DIR"
}

# Argo CD: the API server and the repo-server (plus the git credential helper the repo-server runs) in one binary
# that picks its role from ARGOCD_BINARY_NAME, else argv[0], like Argo CD's own multi-call cmd/main.go. That
# cmd/main.go also links the CLI, dex, notifications, the controllers and the cloud SDKs of argocd-k8s-auth, which
# the tests never run, so the wrapper module has its own small main package importing only the roles needed.
# Argo CD's go.mod replaces gitops-engine with the local ./gitops-engine, which a module zip does not contain, so the
# wrapper copies the published go.mod's non-local replaces and points gitops-engine at the pseudo-version of the
# same commit.
build_argocd() { # [controller]: also the application controller role, into $ARGOCD_CONTROLLER_DIR
  local module=github.com/argoproj/argo-cd/v3 engine=github.com/argoproj/argo-cd/gitops-engine
  local dir=$ARGOCD_DIR controller=false
  if [[ "${1:-}" == controller ]]; then dir=$ARGOCD_CONTROLLER_DIR; controller=true; fi
  if [[ -x "$dir/argocd" ]]; then say "argocd v$ARGOCD_VERSION: cached in $dir"; return; fi
  local start t0; start=$(date +%s); t0=$(cpu_ticks)
  say "building argocd v$ARGOCD_VERSION, API server + repo-server$([[ $controller == true ]] && echo ' + application controller') ..."
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  local gomod; gomod=$(published_gomod "$module@v$ARGOCD_VERSION" "$work")
  local engine_version
  if ! engine_version=$(cd "$work" && go list -m -f '{{.Version}}' "$engine@$ARGOCD_COMMIT" 2>/dev/null); then
    # Some module proxies refuse queries by commit; use the pinned pseudo-version instead.
    engine_version=$ARGOCD_GITOPS_ENGINE_FALLBACK
    say "the module proxy does not resolve $engine@${ARGOCD_COMMIT:0:12}; using $engine_version"
  fi
  {
    echo "module driftwatch.local/argocdbuild"
    grep -E '^go [0-9]' "$gomod"
    grep -E '^godebug ' "$gomod" || true
    echo "require $module v$ARGOCD_VERSION"
    echo "replace ("
    published_replaces "$gomod"
    printf '\t%s => %s %s\n' "$engine" "$engine" "$engine_version"
    echo ")"
  } >"$work/go.mod"
  if [[ $controller == true ]]; then
    # The controller's metrics server listens on 0.0.0.0 with no flag to change it; the benchmark's servers listen on
    # 127.0.0.1 only. So this build uses a copy of the published module (hard links, made here, never kept) in which
    # that one address reads 127.0.0.1 (go build -overlay may not replace files in the module cache).
    module_copy "$module" "v$ARGOCD_VERSION" "$work/argo-cd" "$work"
    local file="$work/argo-cd/controller/appcontroller.go"
    grep -q '"0.0.0.0:%d", metricsPort' "$file" || die "$file no longer formats its metrics address as expected"
    sed 's/"0\.0\.0\.0:%d", metricsPort/"127.0.0.1:%d", metricsPort/' "$file" >"$work/appcontroller.go"
    rm -f "$file"; mv "$work/appcontroller.go" "$file"   # a new file, not written through the hard link
    echo "replace $module => ./argo-cd" >>"$work/go.mod"
  fi
  local n; n=$(grep -c ' => ' "$work/go.mod" || true)
  say "wrapper module has $n replaces (gitops-engine at $engine_version)"
  local controller_import="" controller_case=""
  if [[ $controller == true ]]; then
    controller_import='appcontroller "github.com/argoproj/argo-cd/v3/cmd/argocd-application-controller/commands"'
    controller_case=$'case common.CommandApplicationController:\n\t\tcommand = appcontroller.NewCommand()'
  fi
  cat >"$work/main.go" <<GO
// Generated by driftwatch's scripts/test-binaries.sh: the Argo CD roles driftwatch's tests run, chosen like Argo
// CD's multi-call binary does (ARGOCD_BINARY_NAME, else the name the binary was started by).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"k8s.io/klog/v2"

	$controller_import
	askpass "github.com/argoproj/argo-cd/v3/cmd/argocd-git-ask-pass/commands"
	reposerver "github.com/argoproj/argo-cd/v3/cmd/argocd-repo-server/commands"
	apiserver "github.com/argoproj/argo-cd/v3/cmd/argocd-server/commands"
	"github.com/argoproj/argo-cd/v3/common"
	"github.com/argoproj/argo-cd/v3/util/log"
)

func main() {
	klog.SetLogger(log.NewLogrusLogger(log.NewWithCurrentConfig()))
	role := os.Getenv("ARGOCD_BINARY_NAME")
	if role == "" {
		role = filepath.Base(os.Args[0])
	}
	var command *cobra.Command
	switch role {
	case common.CommandServer:
		command = apiserver.NewCommand()
	case common.CommandRepoServer:
		command = reposerver.NewCommand()
	$controller_case
	case common.CommandGitAskPass:
		command = askpass.NewCommand()
		command.SilenceUsage = true
	default:
		fmt.Fprintf(os.Stderr, "this Argo CD test build runs only the roles in its source (set ARGOCD_BINARY_NAME), not %q\n", role)
		os.Exit(2)
	}
	if command.Execute() != nil {
		os.Exit(1)
	}
}
GO
  local p=$module/common ldflags
  ldflags="-X $p.version=$ARGOCD_VERSION -X $p.buildDate=$build_date -X $p.gitCommit=$ARGOCD_COMMIT"
  ldflags+=" -X $p.gitTag=v$ARGOCD_VERSION -X $p.gitTreeState=clean"
  mkdir -p "$dir.tmp"
  (cd "$work" && go build -trimpath -buildvcs=false $NO_DEBUG_GCFLAGS -ldflags "$NO_DEBUG_LDFLAGS $ldflags" \
      -o "$dir.tmp/argocd" .)
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  say "built argocd v$ARGOCD_VERSION in $(took "$start" "$t0") -> $dir"
}

# An OpenID provider for the console's sign-in test: zitadel/oidc's example OP (authorization code + PKCE, RS256 ID
# tokens, JWKS, discovery, a username/password login page), chosen over Keycloak (a large download and a slow JVM start
# in every CI run) and ORY Hydra (a much larger build that needs a separate login and consent app). The example's own
# main listens on every interface and issues no group claim, so this small main reuses its packages (storage, login
# UI, provider set-up) and adds: the listen address and issuer from flags, one confidential client whose secret is read
# from a file, and a "groups" claim in the ID token from the users file (each user: the example's fields + "Groups");
# for RP-initiated logout, the client's post-logout redirect URIs (the example client registers none, so its
# end_session endpoint refuses every post_logout_redirect_uri) and GET /driftwatch-test/ended-sessions, the sessions its
# end_session endpoint has ended ("user client" per line), so a test can see the provider really ended one.
build_oidc_op() {
  if [[ -x "$OIDC_OP_DIR/oidc-op" ]]; then say "oidc-op (zitadel/oidc v$ZITADEL_OIDC_VERSION): cached in $OIDC_OP_DIR"; return; fi
  local start t0; start=$(date +%s); t0=$(cpu_ticks)
  say "building oidc-op (zitadel/oidc v$ZITADEL_OIDC_VERSION example OP) ..."
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  (cd "$work" && go mod init driftwatch.local/oidcop >/dev/null 2>&1 \
     && go get "github.com/zitadel/oidc/v3@v$ZITADEL_OIDC_VERSION" >/dev/null 2>&1 \
     || die "could not fetch github.com/zitadel/oidc/v3@v$ZITADEL_OIDC_VERSION through the Go module proxy")
  cat >"$work/main.go" <<'GO'
// Generated by driftwatch's scripts/test-binaries.sh: zitadel/oidc's example OpenID provider with one confidential
// client, a chosen address and issuer, and a "groups" ID-token claim per user, for driftwatch's OIDC sign-in test.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// withGroups adds each user's groups (from the users file) to the claims of the ID token and userinfo, registers the
// client's post-logout redirect URIs and records the sessions end_session ends.
type withGroups struct {
	*storage.Storage
	groups      map[string][]string
	postLogout  []string
	endedMu     *sync.Mutex
	endedByUser *[]string
}

// withPostLogout is the example's client with post-logout redirect URIs (its own list is always empty).
type withPostLogout struct {
	op.Client
	uris []string
}

func (c withPostLogout) PostLogoutRedirectURIs() []string { return c.uris }

func (s withGroups) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return withPostLogout{c, s.postLogout}, nil
}

func (s withGroups) TerminateSession(ctx context.Context, userID string, clientID string) error {
	s.endedMu.Lock()
	*s.endedByUser = append(*s.endedByUser, userID+" "+clientID)
	s.endedMu.Unlock()
	return s.Storage.TerminateSession(ctx, userID, clientID)
}

func (s withGroups) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, req, scopes); err != nil {
		return err
	}
	if g, ok := s.groups[req.GetSubject()]; ok {
		info.AppendClaims("groups", g)
	}
	return nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9998", "listen address")
	issuer := flag.String("issuer", "", "issuer URL (default http://ADDR/)")
	users := flag.String("users", "", "users file: JSON object id -> {ID, Username, Password, Email, ..., Groups}")
	clientID := flag.String("client-id", "driftwatch", "the confidential client's id")
	secretFile := flag.String("client-secret-file", "", "file holding the client's secret")
	redirects := flag.String("redirect-uris", "", "comma-separated redirect URIs of the client")
	postLogout := flag.String("post-logout-redirect-uris", "", "comma-separated post-logout redirect URIs of the client")
	flag.Parse()
	if *issuer == "" {
		*issuer = "http://" + *addr + "/"
	}
	secret, err := os.ReadFile(*secretFile)
	if err != nil {
		slog.Error("client secret", "error", err)
		os.Exit(2)
	}
	store, err := storage.StoreFromFile(*users)
	if err != nil {
		slog.Error("users file", "error", err)
		os.Exit(2)
	}
	raw, _ := os.ReadFile(*users)
	var extra map[string]struct{ Groups []string }
	if err := json.Unmarshal(raw, &extra); err != nil {
		slog.Error("users file", "error", err)
		os.Exit(2)
	}
	groups := map[string][]string{}
	for id, u := range extra {
		groups[id] = u.Groups
	}
	storage.RegisterClients(storage.WebClient(*clientID, strings.TrimSpace(string(secret)), strings.Split(*redirects, ",")...))
	var endedMu sync.Mutex
	ended := []string{}
	logoutURIs := []string{}
	if *postLogout != "" {
		logoutURIs = strings.Split(*postLogout, ",")
	}
	st := withGroups{storage.NewStorage(store), groups, logoutURIs, &endedMu, &ended}
	mux := http.NewServeMux()
	mux.HandleFunc("/driftwatch-test/ended-sessions", func(w http.ResponseWriter, r *http.Request) {
		endedMu.Lock()
		defer endedMu.Unlock()
		w.Header().Set("content-type", "text/plain")
		for _, e := range ended {
			w.Write([]byte(e + "\n"))
		}
	})
	mux.Handle("/", exampleop.SetupServer(*issuer, st, nil, false))
	slog.Info("listening", "addr", *addr, "issuer", *issuer)
	if err := http.ListenAndServe(*addr, mux); err != nil {
		slog.Error("server", "error", err)
		os.Exit(1)
	}
}
GO
  mkdir -p "$OIDC_OP_DIR.tmp"
  (cd "$work" && go build -trimpath -buildvcs=false $NO_DEBUG_GCFLAGS -ldflags "$NO_DEBUG_LDFLAGS" \
      -o "$OIDC_OP_DIR.tmp/oidc-op" .)
  rm -rf "$OIDC_OP_DIR"; mv "$OIDC_OP_DIR.tmp" "$OIDC_OP_DIR"
  say "built oidc-op (zitadel/oidc v$ZITADEL_OIDC_VERSION) in $(took "$start" "$t0") -> $OIDC_OP_DIR"
}

# Flux's source-controller and kustomize-controller, in ONE `go build` from one wrapper module, so the packages they
# share (controller-runtime, client-go, Flux's pkg modules: most of each) are compiled once and the links run in
# parallel. `go install` is refused (each go.mod replaces its ./api module with the local directory, which the module
# zip leaves out), so the wrapper copies both published go.mods' other replaces (they must agree), points each api
# module at its published tag, and applies the pins. Each controller's CRDs (config/crd/bases of the same module
# version) are copied beside its binary, so the tests install exactly the CRDs the binaries were built with.
build_flux() {
  local src=github.com/fluxcd/source-controller ks=github.com/fluxcd/kustomize-controller
  if [[ -x "$FLUX_SOURCE_DIR/source-controller" && -d "$FLUX_SOURCE_DIR/crds" \
        && -x "$FLUX_KUSTOMIZE_DIR/kustomize-controller" && -d "$FLUX_KUSTOMIZE_DIR/crds" ]]; then
    say "source-controller v$FLUX_SOURCE_CONTROLLER_VERSION, kustomize-controller v$FLUX_KUSTOMIZE_CONTROLLER_VERSION: cached"
    return
  fi
  local start t0; start=$(date +%s); t0=$(cpu_ticks)
  say "building source-controller v$FLUX_SOURCE_CONTROLLER_VERSION + kustomize-controller v$FLUX_KUSTOMIZE_CONTROLLER_VERSION ..."
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  local src_mod ks_mod
  src_mod=$(published_gomod "$src@v$FLUX_SOURCE_CONTROLLER_VERSION" "$work")
  ks_mod=$(published_gomod "$ks@v$FLUX_KUSTOMIZE_CONTROLLER_VERSION" "$work")
  local replaces; replaces=$( { published_replaces "$src_mod"; published_replaces "$ks_mod"; } | sort -u)
  local conflicting; conflicting=$(awk '{print $1}' <<<"$replaces" | sort | uniq -d)
  [[ -z "$conflicting" ]] || die "source-controller and kustomize-controller replace these modules differently: $conflicting"
  {
    echo "module driftwatch.local/fluxbuild"
    grep -hE '^go [0-9]' "$src_mod" "$ks_mod" | sort -V | tail -1
    echo "require ("
    printf '\t%s v%s\n' "$src" "$FLUX_SOURCE_CONTROLLER_VERSION" "$ks" "$FLUX_KUSTOMIZE_CONTROLLER_VERSION"
    echo ")"
    echo "replace ("
    echo "$replaces"
    printf '\t%s => %s v%s\n' "$src/api" "$src/api" "$FLUX_SOURCE_CONTROLLER_VERSION" \
      "$ks/api" "$ks/api" "$FLUX_KUSTOMIZE_CONTROLLER_VERSION"
    local pin
    while IFS= read -r pin; do
      if [[ -n "$pin" ]]; then printf '\t%s => %s\n' "${pin%% *}" "$pin"; fi
    done < <(tr ';' '\n' <<<"$FLUX_PINS")
    echo ")"
  } >"$work/go.mod"
  mkdir -p "$work/bin"
  (cd "$work" && go build -trimpath -buildvcs=false $NO_DEBUG_GCFLAGS -ldflags "$NO_DEBUG_LDFLAGS" -o "$work/bin/" \
      "$src" "$ks")
  local name dir module
  for name in source-controller kustomize-controller; do
    if [[ $name == source-controller ]]; then dir=$FLUX_SOURCE_DIR module=$src; else dir=$FLUX_KUSTOMIZE_DIR module=$ks; fi
    rm -rf "$dir.tmp"; mkdir -p "$dir.tmp/crds"
    mv "$work/bin/$name" "$dir.tmp/$name"
    cp "$(cd "$work" && go list -m -f '{{.Dir}}' "$module")"/config/crd/bases/*.yaml "$dir.tmp/crds/"
    chmod u+w "$dir.tmp/crds"/*.yaml
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
  done
  say "built source-controller and kustomize-controller in $(took "$start" "$t0") -> $FLUX_SOURCE_DIR, $FLUX_KUSTOMIZE_DIR"
}

# The two servers behind the Flux OCIRepository and Bucket tests, in ONE `go build` from one wrapper module (they share
# the standard library and little else): go-containerregistry's cmd/registry, an in-memory OCI distribution registry
# (the test pushes Flux's artifact to it over the distribution API), and gofakes3's cmd/gofakes3, an S3 API server
# (memory backend) that source-controller's generic Bucket provider (minio-go) reads. Both are plain main packages of
# their modules; neither go.mod has replaces, so the wrapper only requires the two versions.
build_flux_sources() {
  local gcr=github.com/google/go-containerregistry s3=github.com/johannesboyne/gofakes3
  if [[ -x "$OCI_REGISTRY_DIR/registry" && -x "$GOFAKES3_DIR/gofakes3" ]]; then
    say "registry (go-containerregistry v$GO_CONTAINERREGISTRY_VERSION), gofakes3 v$GOFAKES3_VERSION: cached"; return
  fi
  local start t0; start=$(date +%s); t0=$(cpu_ticks)
  say "building registry (go-containerregistry v$GO_CONTAINERREGISTRY_VERSION) + gofakes3 v$GOFAKES3_VERSION ..."
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  (cd "$work" && go mod init driftwatch.local/fluxsources >/dev/null 2>&1 \
     && go get "$gcr@v$GO_CONTAINERREGISTRY_VERSION" "$s3@v$GOFAKES3_VERSION" >/dev/null 2>&1 \
     || die "could not fetch $gcr@v$GO_CONTAINERREGISTRY_VERSION and $s3@v$GOFAKES3_VERSION through the Go module proxy")
  mkdir -p "$work/bin"
  (cd "$work" && go build -trimpath -buildvcs=false $NO_DEBUG_GCFLAGS -ldflags "$NO_DEBUG_LDFLAGS" -o "$work/bin/" \
      "$gcr/cmd/registry" "$s3/cmd/gofakes3")
  local name dir
  for name in registry gofakes3; do
    if [[ $name == registry ]]; then dir=$OCI_REGISTRY_DIR; else dir=$GOFAKES3_DIR; fi
    rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
    mv "$work/bin/$name" "$dir.tmp/$name"
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
  done
  say "built registry and gofakes3 in $(took "$start" "$t0") -> $OCI_REGISTRY_DIR, $GOFAKES3_DIR"
}

# helm-controller's values code, for HelmValuesDigestIT: a small main (below) that runs github.com/fluxcd/pkg/chartutil's
# ChartValuesFromReferences and DigestValues(digest.Canonical, ...) — what helm-controller calls to merge a HelmRelease's
# values and to record status.lastAttemptedConfigDigest / history[].configDigest — on cases read from stdin. Its only
# stand-in is the Kubernetes client, which answers Get with the case's ConfigMaps. helm-controller's own binary module
# is not served by the module proxy; these libraries are.
build_flux_values() {
  local module=github.com/fluxcd/pkg/chartutil
  if [[ -x "$FLUX_VALUES_DIR/flux-helm-values" ]]; then
    say "flux-helm-values ($module v$FLUX_CHARTUTIL_VERSION): cached in $FLUX_VALUES_DIR"; return
  fi
  local start t0; start=$(date +%s); t0=$(cpu_ticks)
  say "building flux-helm-values ($module v$FLUX_CHARTUTIL_VERSION) ..."
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  cat >"$work/main.go" <<'GO'
// Generated by driftwatch's scripts/test-binaries.sh (flux-values): runs Flux's own values code on test cases, so driftwatch's Java
// reimplementation can be compared with it byte for byte. Each line of stdin is one case, a JSON object
//   {"values": <spec.values>, "valuesFrom": [<meta.ValuesReference>...], "configMaps": {"name": {"key": "data"}}}
// and each line of stdout its result
//   {"digest": "sha256:...", "values": <merged values>, "encoded": "<the YAML digested>"} or {"error": "..."}
// The values are merged by github.com/fluxcd/pkg/chartutil's ChartValuesFromReferences (the function helm-controller
// calls; its ConfigMaps come from the case through a client that only answers Get) and digested by its DigestValues
// with digest.Canonical, as helm-controller computes status.lastAttemptedConfigDigest and history[].configDigest.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/chartutil"
	"github.com/go-logr/logr"
	"github.com/opencontainers/go-digest"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kubeclient "sigs.k8s.io/controller-runtime/pkg/client"
)

type testCase struct {
	Values     json.RawMessage              `json:"values"`
	ValuesFrom []meta.ValuesReference       `json:"valuesFrom"`
	ConfigMaps map[string]map[string]string `json:"configMaps"`
}

// configMaps answers Get for the case's ConfigMaps; every other method of the interface is never called.
type configMaps struct {
	kubeclient.Client
	data map[string]map[string]string
}

func (c configMaps) Get(_ context.Context, key kubeclient.ObjectKey, obj kubeclient.Object, _ ...kubeclient.GetOption) error {
	cm, ok := obj.(*corev1.ConfigMap)
	data, found := c.data[key.Name]
	if !ok || !found {
		return apierrors.NewNotFound(schema.GroupResource{Resource: "configmaps"}, key.Name)
	}
	cm.Name, cm.Namespace, cm.Data = key.Name, key.Namespace, data
	return nil
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 0, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c testCase
		result := map[string]interface{}{}
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			result["error"] = "bad case: " + err.Error()
		} else if values, err := run(c); err != nil {
			result["error"] = err.Error()
		} else {
			result["digest"] = chartutil.DigestValues(digest.Canonical, values).String()
			result["values"] = values
			// What the digest is taken of, for a reader comparing byte by byte (DigestValues hashes nothing for
			// empty values).
			var encoded bytes.Buffer
			if len(values) > 0 {
				if err := chartutil.Encode(&encoded, values, chartutil.SortMapSlice); err != nil {
					result["error"] = err.Error()
				}
			}
			result["encoded"] = encoded.String()
		}
		if err := out.Encode(result); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(c testCase) (map[string]interface{}, error) {
	// As helm-controller's HelmRelease.GetValues: spec.values decoded by encoding/json.
	var values map[string]interface{}
	if len(c.Values) > 0 && string(c.Values) != "null" {
		if err := json.Unmarshal(c.Values, &values); err != nil {
			return nil, err
		}
	}
	return chartutil.ChartValuesFromReferences(context.Background(), logr.Discard(), configMaps{data: c.ConfigMaps},
		"default", values, c.ValuesFrom...)
}
GO
  (cd "$work" && go mod init driftwatch.local/fluxvalues >/dev/null 2>&1 \
     && go get "$module@v$FLUX_CHARTUTIL_VERSION" github.com/go-logr/logr github.com/opencontainers/go-digest >/dev/null 2>&1 \
     && go mod tidy >/dev/null 2>&1 \
     || die "could not fetch $module@v$FLUX_CHARTUTIL_VERSION through the Go module proxy")
  mkdir -p "$FLUX_VALUES_DIR.tmp"
  (cd "$work" && go build -trimpath -buildvcs=false $NO_DEBUG_GCFLAGS -ldflags "$NO_DEBUG_LDFLAGS" \
      -o "$FLUX_VALUES_DIR.tmp/flux-helm-values" .)
  rm -rf "$FLUX_VALUES_DIR"; mv "$FLUX_VALUES_DIR.tmp" "$FLUX_VALUES_DIR"
  say "built flux-helm-values in $(took "$start" "$t0") -> $FLUX_VALUES_DIR"
}

# Flux's CLI (github.com/fluxcd/flux2/v2 cmd/flux), for the `flux diff kustomization` benchmark only. `go install` is
# refused (its go.mod has a replace), and cmd/flux embeds manifests/*.yaml, which Flux's Makefile generates (from the
# controllers' release manifests on GitHub) and the module zip leaves out. So the wrapper builds a copy of the
# published module (hard links, made here, never kept) with one placeholder in cmd/flux/manifests: every command works
# except `flux install` / `flux bootstrap`, which would install the placeholder (the benchmark never runs them).
build_flux_cli() {
  local module=github.com/fluxcd/flux2/v2
  if [[ -x "$FLUX_CLI_DIR/flux" ]]; then say "flux CLI v$FLUX_CLI_VERSION: cached in $FLUX_CLI_DIR"; return; fi
  local start t0; start=$(date +%s); t0=$(cpu_ticks)
  say "building the flux CLI v$FLUX_CLI_VERSION ..."
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  local gomod; gomod=$(published_gomod "$module@v$FLUX_CLI_VERSION" "$work")
  module_copy "$module" "v$FLUX_CLI_VERSION" "$work/flux2" "$work"
  mkdir -p "$work/flux2/cmd/flux/manifests"
  printf '# placeholder: this flux build (driftwatch scripts/test-binaries.sh flux-cli) cannot install Flux\n' \
    >"$work/flux2/cmd/flux/manifests/placeholder.yaml"
  {
    echo "module driftwatch.local/fluxclibuild"
    grep -E '^go [0-9]' "$gomod"
    grep -E '^godebug ' "$gomod" || true
    echo "require $module v$FLUX_CLI_VERSION"
    echo "replace ("
    published_replaces "$gomod"
    printf '\t%s => ./flux2\n' "$module"
    echo ")"
  } >"$work/go.mod"
  mkdir -p "$FLUX_CLI_DIR.tmp"
  (cd "$work" && go build -trimpath -buildvcs=false $NO_DEBUG_GCFLAGS \
      -ldflags "$NO_DEBUG_LDFLAGS -X main.VERSION=$FLUX_CLI_VERSION" -o "$FLUX_CLI_DIR.tmp/flux" "$module/cmd/flux")
  rm -rf "$FLUX_CLI_DIR"; mv "$FLUX_CLI_DIR.tmp" "$FLUX_CLI_DIR"
  say "built the flux CLI v$FLUX_CLI_VERSION in $(took "$start" "$t0") -> $FLUX_CLI_DIR"
}

total_start=$(date +%s); total_t0=$(cpu_ticks)
mkdir -p "$CACHE_ROOT"
wanted=("$@")
[[ ${#wanted[@]} -gt 0 ]] || wanted=(etcd kubernetes kustomize helm prometheus argocd flux flux-sources flux-values oidc-op)
for tool in "${wanted[@]}"; do
  case "$tool" in
    etcd) build_etcd ;;
    kubernetes) build_kubernetes ;;
    kustomize) build_plain kustomize "$KUSTOMIZE_DIR" sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" ;;
    helm) build_plain helm "$HELM_DIR" helm.sh/helm/v4/cmd/helm "$HELM_VERSION" \
      "-X helm.sh/helm/v4/internal/version.version=v$HELM_VERSION" ;;   # else `helm version` says v4.2
    prometheus) build_prometheus ;;
    argocd) build_argocd ;;
    # Only bench/run-peers.sh needs it; a separate binary, so the tests' smaller build stays as it is.
    argocd-controller|--argocd-controller) build_argocd controller ;;
    flux) build_flux ;;
    flux-sources) build_flux_sources ;;
    flux-values) build_flux_values ;;
    # Only bench/run-flux-diff.sh needs it.
    flux-cli) build_flux_cli ;;
    oidc-op) build_oidc_op ;;
    *) die "unknown tool '$tool' (etcd, kubernetes, kustomize, helm, prometheus, argocd, argocd-controller, flux, flux-sources, flux-values, oidc-op, flux-cli)" ;;
  esac
done
say "all test binaries ready in $(took "$total_start" "$total_t0")"
