import { FindingSeverity } from '../finding';
import { emitter, RuleDefinition } from './rule';

/*
 * One of the blockers that keep 2.x manifests from working on Kuma 3.x (kumahq/kuma#18662;
 * annotations.go at v2.14.3 vs 348b6528bc; Kuma's UPGRADE.md for 3.0, test/conformance/kuma/crds/3.0
 * schemas), each with its own rule; the mechanical ones carry the edit that resolves them. Run with
 * `--kuma-version 3.0` before upgrading: Kong's kuma3-preflight audits a running control plane,
 * these audit the manifests before anything is applied.
 */

export const KUMA016: RuleDefinition = {
  id: 'KUMA016',
  name: 'legacy-targetref-kind',
  severity: FindingSeverity.ERROR,
  fixable: true,
  summary: 'Kuma 3.x: a targetRef kind 3.x does not have there (top level: Mesh and Dataplane only; MeshSubset, MeshService, MeshServiceSubset are gone).',
  rationale: 'Kuma 3.0 accepts only `Mesh` and `Dataplane` as a policy\'s top-level `targetRef.kind`, and no longer `MeshSubset`, `MeshServiceSubset` or `MeshGateway` in `to[].targetRef`; the CRD schemas and the validating webhook refuse such a policy, including one synced from a global control plane.',
  restsOn: 'Reads the top-level and `to[]` `targetRef.kind` of every `kuma.io/v1alpha1` object other than Mesh, with `--kuma-version 3.0`; in `to[]` it accepts Mesh, MeshService, MeshExternalService, MeshMultiZoneService and MeshHTTPRoute for every policy, without the per-policy limits. Silent on 2.x.',
  fix: 'Select workloads with `{ kind: Dataplane, labels: ... }` (or `kind: Mesh` for the whole mesh) and destinations by MeshService, MeshExternalService or MeshMultiZoneService; `cdk8s-kuma lint --fix` rewrites a top-level MeshSubset whose tags do not include `kuma.io/service`.',
  example: {
    flags: ['--kuma-version', '3.0'],
    bad: `# KUMA016 bad: the MeshTimeout selects web with a top-level targetRef of kind MeshSubset, which Kuma 3.0 does not have (only Mesh and Dataplane)
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    kuma.io/sidecar-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
---
apiVersion: kuma.io/v1alpha1
kind: MeshTimeout
metadata:
  name: web-outbound
  namespace: shop
spec:
  targetRef:
    kind: MeshSubset
    tags:
      app: web
  to:
  - targetRef:
      kind: Mesh
    default:
      connectionTimeout: 5s
`,
    good: `# KUMA016 good: the same pods selected as a Dataplane by labels, the 3.x way
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    kuma.io/sidecar-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
---
apiVersion: kuma.io/v1alpha1
kind: MeshTimeout
metadata:
  name: web-outbound
  namespace: shop
spec:
  targetRef:
    kind: Dataplane
    labels:
      app: web
  to:
  - targetRef:
      kind: Mesh
    default:
      connectionTimeout: 5s
`,
  },
  sources: [
    'kumahq/kuma UPGRADE.md@348b6528bc',
    'kumahq/kuma deployments/charts/kuma/crds/kuma.io_meshtrafficpermissions.yaml@348b6528bc',
    'kumahq/kuma deployments/charts/kuma/crds/kuma.io_meshtimeouts.yaml@348b6528bc',
  ],
  check: (ctx, report) => {
    const { index, caps } = ctx;
    const v = caps.version.toString();
    const emit = emitter(report);
    if (!caps.permissionRules) return;
    for (const m of index.manifests) {
      const o = m.obj;
      if (o === null || typeof o !== 'object' || String(o.apiVersion) !== 'kuma.io/v1alpha1') continue;
      if (o.kind === 'Mesh') continue;
      const spec = o.spec ?? {};
      const top = spec.targetRef;
      if (top?.kind !== undefined && !POLICY_TOP_KINDS_3X.includes(top.kind)) {
        const tags: Record<string, string> | undefined = top.kind === 'MeshSubset' ? top.tags : undefined;
        const mechanical = tags !== undefined && Object.keys(tags).length > 0 && tags['kuma.io/service'] === undefined;
        emit(FindingSeverity.ERROR, m,
          `selects its targets with targetRef kind ${top.kind}, which Kuma ${v} does not have at the top level (only ${POLICY_TOP_KINDS_3X.join(' and ')})`,
          mechanical ? 'Select the same Dataplanes by labels: { kind: Dataplane, labels: <the tags> }.'
            : 'Select the workloads with { kind: Dataplane, labels: ... } by labels you manage (kuma.io/service no longer exists).',
          mechanical ? { target: m, ops: [{ op: 'set', path: ['spec', 'targetRef'], value: { kind: 'Dataplane', labels: { ...tags } } }] } : undefined);
      }
      (Array.isArray(spec.to) ? spec.to : []).forEach((entry: any, i: number) => {
        const ref = entry?.targetRef;
        if (ref?.kind === undefined || POLICY_TO_KINDS_3X.includes(ref.kind)) return;
        emit(FindingSeverity.ERROR, m, `has to[${i}].targetRef kind ${ref.kind}, which Kuma ${v} does not have there`,
          'Target a MeshService, MeshExternalService or MeshMultiZoneService by labels.');
      });
    }
  },
};

/** The targetRef kinds a 3.x policy takes at the top level, and in to[]. */
export const POLICY_TOP_KINDS_3X = ['Mesh', 'Dataplane'];
export const POLICY_TO_KINDS_3X = ['Mesh', 'MeshService', 'MeshExternalService', 'MeshMultiZoneService', 'MeshHTTPRoute'];
