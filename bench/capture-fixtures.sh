#!/usr/bin/env bash
# Captures the live objects the diff benchmark starts from, from a real kube-apiserver (v1.36.3, as the tests use):
# applies the corpus (src/test/resources/corpus) once with client-side apply (namespace bench-csa) and once with
# server-side apply as argocd-controller (bench-ssa), writes controller-style status and annotations on the Deployment
# (kube-controller-manager, status subresource), makes three out-of-band changes on copies of the Deployment
# (kubectl edit of an image, kubectl edit adding an env var, kubectl scale), and saves every object as
# `kubectl get -o json --show-managed-fields` under src/test/resources/bench/.
#
# Only needed when the fixtures must be refreshed (e.g. a new API server version); the benchmark itself never needs a
# cluster. Needs the binaries built by scripts/test-binaries.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

K8S_VERSION=1.36.3
KUBECTL="${KUBECTL:-$HOME/.cache/driftwatch/k8s-v$K8S_VERSION/kubectl}"
OUT=src/test/resources/bench
[ -x "$KUBECTL" ] || { echo "no kubectl at $KUBECTL: run scripts/test-binaries.sh first" >&2; exit 2; }

mvn -B -q test-compile
LOG=$(mktemp); CPFILE=$(mktemp)
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$CPFILE"
CP="target/test-classes:target/classes:$(cat "$CPFILE")"
java -cp "$CP" io.driftwatch.localkube.StartClusterAndWait >"$LOG" 2>&1 &
CLUSTER_PID=$!
trap 'kill $CLUSTER_PID 2>/dev/null || true; wait $CLUSTER_PID 2>/dev/null || true; rm -f "$LOG" "$CPFILE"' EXIT
for _ in $(seq 120); do grep -q '^READY ' "$LOG" && break; kill -0 $CLUSTER_PID || { cat "$LOG" >&2; exit 2; }; sleep 1; done
grep -q '^READY ' "$LOG" || { echo "cluster did not start" >&2; cat "$LOG" >&2; exit 2; }
export KUBECONFIG="$(awk '/^READY /{print $2}' "$LOG")/kubeconfig"
k() { "$KUBECTL" "$@"; }

WORK=$(mktemp -d)
rm -rf "$OUT" && mkdir -p "$OUT/csa" "$OUT/ssa" "$OUT/drift"
for mode in csa ssa; do
  ns=bench-$mode
  k create namespace $ns >/dev/null
  for f in src/test/resources/corpus/*.yaml; do
    sed "s/__NS__/$ns/g" "$f" >"$WORK/$(basename "$f")"
    if [ $mode = csa ]; then k apply -n $ns -f "$WORK/$(basename "$f")" >/dev/null
    else k apply --server-side --field-manager=argocd-controller -n $ns -f "$WORK/$(basename "$f")" >/dev/null; fi
    case "$f" in *customresourcedefinition*)
      k wait --for=condition=Established "crd/widgets.$ns.corpus.driftwatch.test" >/dev/null;; esac
  done
  # What the deployment controller writes in a cluster that runs one (this API server runs no controllers).
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  k -n $ns annotate deployment api deployment.kubernetes.io/revision=1 --field-manager=kube-controller-manager >/dev/null
  k -n $ns patch deployment api --subresource=status --type=merge --field-manager=kube-controller-manager -p "$(cat <<JSON
{"status":{"observedGeneration":1,"replicas":1,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1,
 "conditions":[
  {"type":"Available","status":"True","lastUpdateTime":"$now","lastTransitionTime":"$now",
   "reason":"MinimumReplicasAvailable","message":"Deployment has minimum availability."},
  {"type":"Progressing","status":"True","lastUpdateTime":"$now","lastTransitionTime":"$now",
   "reason":"NewReplicaSetAvailable","message":"ReplicaSet \"api-7c9d8f6b5d\" has successfully progressed."}]}}
JSON
)" >/dev/null
  for f in "$WORK"/*.yaml; do
    kind=$(awk '/^kind:/{print $2; exit}' "$f"); name=$(awk '/^  name:/{print $2; exit}' "$f")
    [ "$kind" = Widget ] && kind=widgets.$ns.corpus.driftwatch.test
    k get -n $ns "$kind" "$name" -o json --show-managed-fields >"$OUT/$mode/$(basename "$f" .yaml).json"
  done
done

# Out-of-band changes, each on its own copy of the client-side-applied Deployment.
ns=bench-csa
for d in image env scale; do
  sed "0,/^  name: api$/s//  name: api-drift-$d/" "$WORK/16-deployment-api.yaml" | k apply -n $ns -f - >/dev/null
done
EDITOR="sed -i -e 's|image: registry.example.com/shop/api:1.14.2|image: registry.example.com/shop/api:1.14.3-hotfix|'" \
  k -n $ns edit deployment api-drift-image >/dev/null
EDITOR="sed -i -e '0,/^        env:\$/s//        env:\n        - name: DEBUG_SQL\n          value: \"true\"/'" \
  k -n $ns edit deployment api-drift-env >/dev/null
k -n $ns scale deployment api-drift-scale --replicas=5 >/dev/null
for d in image env scale; do
  k get -n $ns deployment api-drift-$d -o json --show-managed-fields >"$OUT/drift/deployment-$d.json"
done
rm -rf "$WORK"
echo "captured $(find "$OUT" -name '*.json' | wc -l) objects into $OUT ($(du -sh "$OUT" | cut -f1))"
