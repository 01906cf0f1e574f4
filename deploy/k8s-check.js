'use strict';
// Offline checks of rendered vnarchive manifests (run by deploy/k8s-check.sh).
//
//   node deploy/k8s-check.js --modules DIR NAME=RENDERED.yaml [NAME=FILE ...]
//
// DIR holds node_modules with kubernetes-models and yaml. Each file is the
// output of `kubectl kustomize` for one target (base, an overlay). Every
// object is validated against the Kubernetes schemas, then against the
// project's policy (probes, resources, non-root, pinned images, PDBs,
// headless gRPC Services, default-deny networking, references that resolve).
// Exit status: 0 clean, 1 violations, 2 usage or input errors.

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const PART_OF = 'vnarchive';
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass',
  'PriorityClass', 'CustomResourceDefinition',
]);

function usage(message) {
  if (message) console.error(`k8s-check.js: ${message}`);
  console.error('usage: node k8s-check.js --modules DIR NAME=RENDERED.yaml [NAME=FILE ...]');
  process.exit(2);
}

function parseArgs(argv) {
  let modules = null;
  const targets = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--modules') {
      modules = argv[++i];
    } else if (/^[^=]+=.+$/.test(argv[i])) {
      const at = argv[i].indexOf('=');
      targets.push({ name: argv[i].slice(0, at), file: argv[i].slice(at + 1) });
    } else {
      usage(`unexpected argument: ${argv[i]}`);
    }
  }
  if (!modules) usage('--modules is required');
  if (targets.length === 0) usage('no rendered file given');
  return { modules, targets };
}

const { modules, targets } = parseArgs(process.argv.slice(2));
// Resolve packages from the cache directory, not from the repository.
const requireFromCache = createRequire(path.join(path.resolve(modules), 'k8s-check.js'));
let YAML;
try {
  YAML = requireFromCache('yaml');
  requireFromCache('kubernetes-models/v1');
} catch (err) {
  usage(`cannot load yaml / kubernetes-models from ${modules}: ${err.message}`);
}

function modelClass(apiVersion, kind) {
  let group;
  try {
    group = requireFromCache(`kubernetes-models/${apiVersion}`);
  } catch (err) {
    return null;
  }
  return typeof group[kind] === 'function' ? group[kind] : null;
}

function objectName(obj) {
  const ns = obj.metadata && obj.metadata.namespace ? `${obj.metadata.namespace}/` : '';
  const name = obj.metadata && obj.metadata.name ? obj.metadata.name : '(no name)';
  return `${obj.kind || '(no kind)'} ${ns}${name}`;
}

function loadRendered(file) {
  const text = fs.readFileSync(file, 'utf8');
  const objects = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: YAML error: ${doc.errors[0].message}`);
    }
    const obj = doc.toJS();
    if (obj !== null && obj !== undefined) objects.push(obj);
  }
  return objects;
}

// A label selector (matchLabels + matchExpressions) against a label map.
function selectorMatches(selector, labels) {
  if (!selector) return false;
  const have = labels || {};
  const matchLabels = selector.matchLabels || {};
  const expressions = selector.matchExpressions || [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return true;
  for (const [key, value] of Object.entries(matchLabels)) {
    if (have[key] !== value) return false;
  }
  for (const e of expressions) {
    const present = Object.prototype.hasOwnProperty.call(have, e.key);
    const values = e.values || [];
    if (e.operator === 'In' && !(present && values.includes(have[e.key]))) return false;
    if (e.operator === 'NotIn' && present && values.includes(have[e.key])) return false;
    if (e.operator === 'Exists' && !present) return false;
    if (e.operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

// "repo/name:tag", "host:5000/name:tag", "name@sha256:..." -> {tag, digest}.
function imageReference(image) {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : '';
  const rest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const tag = colon > lastSlash ? rest.slice(colon + 1) : '';
  return { tag, digest };
}

function podSpecOf(obj) {
  if (WORKLOAD_KINDS.has(obj.kind)) return obj.spec && obj.spec.template && obj.spec.template.spec;
  return null;
}

function listenPort(args) {
  for (const arg of args || []) {
    const m = /^--listen=.*:(\d+)$/.exec(arg);
    if (m) return Number(m[1]);
  }
  return null;
}

function checkProbe(kind, probe, container, report) {
  if (!probe) {
    report(`container "${container.name}": no ${kind}`);
    return;
  }
  const ports = container.ports || [];
  if (probe.grpc) {
    const port = probe.grpc.port;
    if (!ports.some((p) => p.containerPort === port)) {
      report(`container "${container.name}": ${kind} gRPC port ${port} is not a declared containerPort`);
    }
    // The kubelet's gRPC probe has no TLS: it cannot check a TLS port.
    const args = container.args || [];
    const tlsPort = listenPort(args);
    if (args.some((a) => a.startsWith('--tls_cert_file')) && port === tlsPort) {
      report(`container "${container.name}": ${kind} targets the TLS port ${port}, but the ` +
             'kubelet\'s gRPC probe speaks plaintext; probe the plaintext health port');
    }
  }
  for (const action of ['tcpSocket', 'httpGet']) {
    const port = probe[action] && probe[action].port;
    if (typeof port === 'string' && !ports.some((p) => p.name === port)) {
      report(`container "${container.name}": ${kind} names port "${port}", which the container does not declare`);
    }
  }
}

function checkContainer(container, podSecurity, isInit, report) {
  const where = `container "${container.name}"`;
  if (!container.image) {
    report(`${where}: no image`);
  } else {
    const { tag, digest } = imageReference(container.image);
    if (!digest && !tag) report(`${where}: image "${container.image}" has no tag (it would pull "latest")`);
    if (!digest && tag === 'latest') report(`${where}: image "${container.image}" uses the tag "latest"; pin a version`);
  }
  if (!isInit) {
    checkProbe('livenessProbe', container.livenessProbe, container, report);
    checkProbe('readinessProbe', container.readinessProbe, container, report);
  }
  const resources = container.resources || {};
  for (const side of ['requests', 'limits']) {
    for (const resource of ['cpu', 'memory']) {
      if (!resources[side] || resources[side][resource] === undefined) {
        report(`${where}: no resources.${side}.${resource}`);
      }
    }
  }
  const sc = container.securityContext || {};
  const runAsNonRoot = sc.runAsNonRoot !== undefined ? sc.runAsNonRoot : podSecurity.runAsNonRoot;
  const runAsUser = sc.runAsUser !== undefined ? sc.runAsUser : podSecurity.runAsUser;
  const seccomp = sc.seccompProfile || podSecurity.seccompProfile || {};
  if (runAsNonRoot !== true) report(`${where}: runAsNonRoot is not true`);
  if (runAsUser === 0) report(`${where}: runAsUser is 0 (root)`);
  if (sc.readOnlyRootFilesystem !== true) report(`${where}: readOnlyRootFilesystem is not true`);
  if (sc.allowPrivilegeEscalation !== false) report(`${where}: allowPrivilegeEscalation is not false`);
  if (sc.privileged === true) report(`${where}: privileged`);
  const drop = (sc.capabilities && sc.capabilities.drop) || [];
  if (!drop.includes('ALL')) report(`${where}: capabilities do not drop ALL`);
  if (seccomp.type !== 'RuntimeDefault' && seccomp.type !== 'Localhost') {
    report(`${where}: seccompProfile is not RuntimeDefault`);
  }
}

function checkTarget(name, objects) {
  const violations = [];
  const notes = [];
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const sameNamespace = (a, b) => (a.metadata.namespace || '') === (b.metadata.namespace || '');

  // 1. Schemas.
  for (const obj of objects) {
    const report = (msg) => violations.push(`${objectName(obj)}: ${msg}`);
    if (!obj.apiVersion || !obj.kind || !obj.metadata || !obj.metadata.name) {
      report('apiVersion, kind and metadata.name are required');
      continue;
    }
    const Model = modelClass(obj.apiVersion, obj.kind);
    if (!Model) {
      report(`no Kubernetes schema for ${obj.apiVersion} ${obj.kind} (unknown or removed API)`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (err) {
      const details = (err.errors || []).map((e) => `${e.instancePath || '/'} ${e.message}`);
      report(`schema: ${details.length > 0 ? details.join('; ') : err.message}`);
    }
  }
  if (violations.length > 0) return { violations, notes };  // policy needs well-formed objects

  // 2. Policy.
  const configMaps = new Set(byKind('ConfigMap').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
  const externalSecrets = new Set();
  const workloadNamespaces = new Set();
  let containers = 0;

  for (const obj of objects) {
    const report = (msg) => violations.push(`${objectName(obj)}: ${msg}`);
    const labels = obj.metadata.labels || {};
    if (labels['app.kubernetes.io/part-of'] !== PART_OF) {
      report(`label app.kubernetes.io/part-of is not "${PART_OF}"`);
    }
    if (!CLUSTER_SCOPED.has(obj.kind) && !obj.metadata.namespace) report('no namespace');
    if (obj.kind === 'Secret' && (obj.data || obj.stringData)) {
      report('a Secret with values is rendered; secrets are created out of band, never committed');
    }

    const pod = podSpecOf(obj);
    if (pod) {
      workloadNamespaces.add(obj.metadata.namespace);
      const templateLabels = (obj.spec.template.metadata && obj.spec.template.metadata.labels) || {};
      if (!selectorMatches(obj.spec.selector, templateLabels)) {
        report('spec.selector does not match the pod template labels');
      }
      if (templateLabels['app.kubernetes.io/part-of'] !== PART_OF) {
        report(`pod template label app.kubernetes.io/part-of is not "${PART_OF}"`);
      }
      if (pod.hostNetwork || pod.hostPID || pod.hostIPC) report('uses the host network, PID or IPC namespace');
      const podSecurity = pod.securityContext || {};
      for (const c of pod.initContainers || []) checkContainer(c, podSecurity, true, report);
      for (const c of pod.containers || []) {
        containers++;
        checkContainer(c, podSecurity, false, report);
        for (const from of c.envFrom || []) {
          if (from.configMapRef && !from.configMapRef.optional &&
              !configMaps.has(`${obj.metadata.namespace}/${from.configMapRef.name}`)) {
            report(`container "${c.name}": envFrom names ConfigMap "${from.configMapRef.name}", which is not rendered`);
          }
          if (from.secretRef) externalSecrets.add(from.secretRef.name);
        }
        for (const env of c.env || []) {
          const ref = env.valueFrom && env.valueFrom.secretKeyRef;
          if (ref) externalSecrets.add(`${ref.name} (key ${ref.key})`);
        }
      }
      for (const v of pod.volumes || []) {
        if (v.configMap && !v.configMap.optional &&
            !configMaps.has(`${obj.metadata.namespace}/${v.configMap.name}`)) {
          report(`volume "${v.name}" names ConfigMap "${v.configMap.name}", which is not rendered`);
        }
        if (v.secret) externalSecrets.add(v.secret.secretName);
      }

      if (obj.kind === 'Deployment' || obj.kind === 'StatefulSet') {
        const pdb = byKind('PodDisruptionBudget').find(
          (p) => sameNamespace(p, obj) && selectorMatches(p.spec.selector, templateLabels));
        if (!pdb) report('no PodDisruptionBudget selects its pods');
      }
      if (obj.kind === 'StatefulSet') {
        const svc = byKind('Service').find(
          (s) => sameNamespace(s, obj) && s.metadata.name === obj.spec.serviceName);
        if (!svc) report(`serviceName "${obj.spec.serviceName}" names no rendered Service`);
        else if (svc.spec.clusterIP !== 'None') report(`governing Service "${svc.metadata.name}" is not headless`);
      }
    }

    if (obj.kind === 'Service') {
      const ports = obj.spec.ports || [];
      const grpc = ports.some((p) => /^grpc/.test(p.name || '') || /^grpc/.test(String(p.targetPort || '')) ||
                                     /grpc/.test(p.appProtocol || ''));
      if (grpc && obj.spec.clusterIP !== 'None') {
        report('a gRPC Service that is not headless (clusterIP: None): clients would pin one pod per connection');
      }
      const selector = obj.spec.selector;
      if (selector && !objects.some((w) => podSpecOf(w) && sameNamespace(w, obj) &&
                                           selectorMatches({ matchLabels: selector },
                                                           w.spec.template.metadata.labels))) {
        report('selector matches no rendered workload');
      }
    }

    if (obj.kind === 'HorizontalPodAutoscaler') {
      const ref = obj.spec.scaleTargetRef || {};
      const target = objects.find((w) => w.kind === ref.kind && w.metadata.name === ref.name &&
                                         sameNamespace(w, obj));
      const onCpu = (obj.spec.metrics || []).some((m) => m.resource && m.resource.name === 'cpu');
      if (!target || !podSpecOf(target)) {
        report(`scaleTargetRef ${ref.kind}/${ref.name} is not a rendered workload`);
      } else {
        if (target.spec.replicas !== undefined) {
          report(`${ref.kind}/${ref.name} sets spec.replicas, which fights the autoscaler on every apply`);
        }
        if (onCpu && !(podSpecOf(target).containers || []).every(
          (c) => c.resources && c.resources.requests && c.resources.requests.cpu)) {
          report('scales on CPU, but a container of the target has no CPU request');
        }
      }
    }
  }

  for (const ns of workloadNamespaces) {
    const denyAll = byKind('NetworkPolicy').some((p) =>
      p.metadata.namespace === ns && selectorMatches(p.spec.podSelector, {}) &&
      Object.keys(p.spec.podSelector || {}).length === 0 &&
      (p.spec.policyTypes || []).includes('Ingress') && (p.spec.policyTypes || []).includes('Egress') &&
      !(p.spec.ingress && p.spec.ingress.length) && !(p.spec.egress && p.spec.egress.length));
    if (!denyAll) violations.push(`Namespace ${ns}: no default-deny NetworkPolicy (Ingress and Egress)`);
  }

  notes.push(`${objects.length} objects match the Kubernetes schemas; ` +
             `policy checked on ${containers} containers`);
  if (externalSecrets.size > 0) {
    notes.push(`needs Secrets created out of band: ${[...externalSecrets].sort().join(', ')}`);
  }
  return { violations, notes };
}

let failed = false;
for (const { name, file } of targets) {
  let objects;
  try {
    objects = loadRendered(file);
  } catch (err) {
    console.error(`k8s-check: [${name}] ${err.message}`);
    process.exit(2);
  }
  if (objects.length === 0) {
    console.error(`k8s-check: [${name}] ${file} holds no objects`);
    process.exit(2);
  }
  const { violations, notes } = checkTarget(name, objects);
  if (violations.length > 0) {
    failed = true;
    for (const v of violations) console.log(`k8s-check: FAIL [${name}] ${v}`);
  } else {
    for (const n of notes) console.log(`k8s-check: ok   [${name}] ${n}`);
  }
}
process.exit(failed ? 1 : 0);
