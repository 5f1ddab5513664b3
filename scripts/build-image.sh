#!/usr/bin/env bash
# Builds the driftwatch image from the real Dockerfile without a Docker engine: buildah with chroot isolation, and
# local base images assembled from Debian packages with debootstrap instead of the published bases (which this
# machine cannot pull). Needs root, buildah and debootstrap (scripts/test.sh installs them).
#
#   scripts/build-image.sh [IMAGE]        (default IMAGE: localhost/driftwatch:dev)
#
# Bases (Debian bookworm, the suite apt uses here), built once and kept as OCI archives under
# ${DRIFTWATCH_CACHE:-~/.cache/driftwatch}/image-bases/, keyed by suite, packages and Go version:
#   GOLANG_IMAGE   minbase + ca-certificates + git + this machine's Go toolchain (Debian's golang is too old for helm 4)
#   MAVEN_IMAGE    minbase + openjdk-17-jdk-headless + maven
#   RUNTIME_IMAGE  minbase + openjdk-17-jre-headless
# The build bases (not the runtime base) also trust this machine's extra CA certificates
# (/usr/local/share/ca-certificates, e.g. of a TLS-intercepting egress proxy), so that `go install` and Maven reach
# their repositories from inside the build. Prints the image's size at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-localhost/driftwatch:dev}
suite=bookworm
mirror=${DRIFTWATCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${DRIFTWATCH_CACHE:-$HOME/.cache/driftwatch}/image-bases
say() { printf '[image] %s\n' "$*" >&2; }
for tool in buildah debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || { say "ERROR: $tool is missing (apt-get install buildah debootstrap)"; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { say "ERROR: debootstrap and buildah's chroot isolation need root"; exit 1; }
mkdir -p "$cache"

# The debootstrap root file system, shared by the three bases.
rootfs_tar="$cache/debootstrap-$suite-minbase.tar"
if [[ ! -s $rootfs_tar ]]; then
  say "debootstrap $suite (minbase) from $mirror"
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  debootstrap --variant=minbase "$suite" "$dir/root" "$mirror" >"$dir/log" 2>&1 \
    || { tail -20 "$dir/log" >&2; exit 1; }
  rm -rf "$dir/root/var/cache/apt/archives/"*.deb "$dir/root/var/lib/apt/lists/"*
  tar -C "$dir/root" --numeric-owner -cf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$dir"
  trap - EXIT
fi

# base NAME TAG PACKAGES... : an image from the root file system plus Debian packages, cached as an OCI archive.
base() {
  local name=$1 tag=$2; shift 2
  local ref="localhost/driftwatch-base/$name:$tag" archive="$cache/$name-$tag.oci.tar"
  if buildah inspect --type image "$ref" >/dev/null 2>&1; then echo "$ref"; return; fi
  local id
  if [[ -s $archive ]] && id=$(buildah pull --quiet "oci-archive:$archive") && buildah tag "$id" "$ref"; then
    echo "$ref"; return
  fi
  say "building base $ref"
  local c
  c=$(buildah from --pull-never scratch)
  buildah add --quiet "$c" "$rootfs_tar" / >/dev/null
  if [[ $name != runtime && -n $extra_ca ]]; then
    buildah copy --quiet "$c" /usr/local/share/ca-certificates/ /usr/local/share/ca-certificates/ >/dev/null
  fi
  buildah run --isolation chroot "$c" -- sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends $* >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/*" >&2
  if [[ $name == golang ]]; then
    buildah copy --quiet "$c" "$(go env GOROOT)" /usr/local/go >/dev/null
    buildah config --env GOPATH=/go --env PATH=/go/bin:/usr/local/go/bin:/usr/sbin:/usr/bin:/sbin:/bin "$c"
  fi
  buildah commit --quiet --rm "$c" "$ref" >/dev/null
  buildah push --quiet "$ref" "oci-archive:$archive.tmp" >/dev/null && mv "$archive.tmp" "$archive"
  echo "$ref"
}

extra_ca=""
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  extra_ca=-ca$(cat /usr/local/share/ca-certificates/*.crt | sha256sum | cut -c1-8)
fi
golang_version=$(go env GOVERSION)
golang_image=$(base golang "$suite-$golang_version$extra_ca" ca-certificates git)
maven_image=$(base maven "$suite-jdk17$extra_ca" ca-certificates openjdk-17-jdk-headless maven)
runtime_image=$(base runtime "$suite-jre17" ca-certificates openjdk-17-jre-headless)

# The RUN steps share this machine's Maven repository and Go module and build caches (test-binaries.sh has already
# downloaded and compiled kustomize and helm at the same versions, with the same Go and flags), so a cold image build
# compiles and downloads almost nothing that the test command has not already.
m2=${DRIFTWATCH_IMAGE_M2:-$HOME/.m2}
gomod=${DRIFTWATCH_IMAGE_GOMODCACHE:-$(go env GOMODCACHE)}
gobuild=${DRIFTWATCH_IMAGE_GOCACHE:-$(go env GOCACHE)}
mkdir -p "$m2" "$gomod" "$gobuild"
no_cache=()
[[ ${DRIFTWATCH_IMAGE_NO_CACHE:-} == 1 ]] && no_cache=(--no-cache)
say "buildah bud -t $image (bases $golang_image, $maven_image, $runtime_image)"
start=$(date +%s)
buildah bud --isolation chroot --pull-never --layers --force-rm --quiet "${no_cache[@]}" \
  --build-arg "GOLANG_IMAGE=$golang_image" --build-arg "MAVEN_IMAGE=$maven_image" \
  --build-arg "RUNTIME_IMAGE=$runtime_image" \
  --volume "$m2:/root/.m2" --volume "$gomod:/go/pkg/mod" --volume "$gobuild:/root/.cache/go-build" \
  -f Dockerfile -t "$image" . >&2
say "built $image in $(( $(date +%s) - start ))s; size $(buildah images --format '{{.Size}}' "$image")"
