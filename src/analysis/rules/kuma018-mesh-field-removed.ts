import { FindingSeverity } from '../finding';
import { emitter, RuleDefinition } from './rule';

/*
 * One of the blockers that keep 2.x manifests from working on Kuma 3.x (kumahq/kuma#18662;
 * annotations.go at v2.14.3 vs 348b6528bc; Kuma's UPGRADE.md for 3.0, test/conformance/kuma/crds/3.0
 * schemas), each with its own rule; the mechanical ones carry the edit that resolves them. Run with
 * `--kuma-version 3.0` before upgrading: Kong's kuma3-preflight audits a running control plane,
 * these audit the manifests before anything is applied.
 */

export const KUMA018: RuleDefinition = {
  id: 'KUMA018',
  name: 'mesh-field-removed',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'Kuma 3.x: a Mesh with spec.mtls or spec.meshServices, which 3.x removed.',
  rationale: 'Kuma 3.0 removed `mtls` and `meshServices` from the Mesh: `mtls` no longer issues certificates, so a mesh whose only identity source is `mtls` serves and accepts plaintext and MeshTLS and MeshTrafficPermission stop applying to its proxies; `meshServices` is ignored, as every mesh behaves as Exclusive.',
  restsOn: 'Reads `spec.mtls` and `spec.meshServices` of Mesh objects, with `--kuma-version 3.0`; silent on 2.x.',
  fix: 'Remove `spec.mtls` and give the mesh a MeshIdentity and MeshTrust; remove `spec.meshServices` and move routes off `.mesh` names to MeshService hostnames.',
  example: {
    flags: ['--kuma-version', '3.0'],
    bad: `# KUMA018 bad: Mesh default turns on mTLS with spec.mtls, which Kuma 3.0 removed (identity comes from MeshIdentity and MeshTrust)
apiVersion: kuma.io/v1alpha1
kind: Mesh
metadata:
  name: default
spec:
  mtls:
    enabledBackend: ca-1
    backends:
    - name: ca-1
      type: builtin
`,
    good: `# KUMA018 good: spec.mtls removed; a MeshIdentity (bundled, Kuma-generated CA, which also creates the MeshTrust) gives the mesh its mTLS
apiVersion: kuma.io/v1alpha1
kind: Mesh
metadata:
  name: default
spec: {}
---
apiVersion: kuma.io/v1alpha1
kind: MeshIdentity
metadata:
  name: identity
  namespace: kuma-system
  labels:
    kuma.io/mesh: default
spec:
  selector:
    dataplane:
      matchLabels: {}
  provider:
    type: Bundled
    bundled:
      autogenerate:
        enabled: true
      insecureAllowSelfSigned: true
`,
  },
  sources: [
    'kumahq/kuma UPGRADE.md@348b6528bc',
  ],
  check: (ctx, report) => {
    const { index, caps } = ctx;
    const v = caps.version.toString();
    const emit = emitter(report);
    for (const m of index.manifests) {
      const o = m.obj;
      if (o === null || typeof o !== 'object' || String(o.apiVersion) !== 'kuma.io/v1alpha1') continue;
      if (o.kind === 'Mesh') {
        for (const [field, present, why] of [
          ['meshServices', !caps.meshServicesModeField && o.spec?.meshServices !== undefined, 'every mesh behaves as Exclusive'],
          ['mtls', !caps.meshMtls && o.spec?.mtls !== undefined, 'identity comes from MeshIdentity and MeshTrust'],
        ] as const) {
          if (!present) continue;
          emit(FindingSeverity.ERROR, m, `sets spec.${field}, which Kuma ${v} removed (${why})`,
            field === 'mtls' ? 'Remove spec.mtls and declare a MeshIdentity and MeshTrust.' : 'Remove spec.meshServices (and move off .mesh names to MeshService hostnames).');
        }
      }
    }
  },
};
