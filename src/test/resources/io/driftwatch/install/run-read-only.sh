#!/usr/bin/env bash
# Runs a command inside a mounted container root file system the way a Kubernetes pod with
# readOnlyRootFilesystem: true and runAsUser/runAsGroup 65532 runs it: in a private mount namespace, the root
# bind-mounted read-only, /proc, /dev, a writable tmpfs at /tmp and at the image's WORKDIR (emptyDir volumes in the
# manifests), optional read-only bind mounts of host directories, the image's environment only, as uid:gid 65532.
# (buildah 1.28's `buildah run` has no read-only root option.) Needs root (unshare, mount, chroot).
#   run-read-only.sh ROOT WORKDIR ENVFILE [--bind HOSTDIR:CONTAINERDIR]... -- COMMAND...
set -euo pipefail
root=$1 workdir=$2 envfile=$3; shift 3
binds=()
while [[ $1 == --bind ]]; do binds+=("$2"); shift 2; done
[[ $1 == -- ]] && shift
# mount points must exist before the root turns read-only (a runtime creates them the same way)
for b in "${binds[@]}"; do mkdir -p "$root${b#*:}"; done
mkdir -p "$root$workdir"
exec unshare --mount --propagation private -- bash -euo pipefail -c '
  root=$1 workdir=$2 envfile=$3 nbinds=$4; shift 4
  mount --bind "$root" "$root"
  for ((i = 0; i < nbinds; i++)); do
    b=$1; shift
    mount --bind "${b%%:*}" "$root${b#*:}"
    mount -o remount,bind,ro "$root${b#*:}"
  done
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o mode=1777,size=256m tmpfs "$root/tmp"
  mount -t tmpfs -o mode=0755,uid=65532,gid=65532,size=256m tmpfs "$root$workdir"
  mount -o remount,bind,ro "$root"
  mapfile -t env < "$envfile"
  cd "$root$workdir"
  exec env -i "${env[@]}" chroot --userspec=65532:65532 "$root" sh -c "cd \"\$0\" && exec \"\$@\"" "$workdir" "$@"
' run-read-only "$root" "$workdir" "$envfile" "${#binds[@]}" "${binds[@]}" "$@"
