import { FindingSeverity } from '../finding';
import { kumaObjects } from './_kuma-objects';
import { RuleDefinition } from './rule';

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
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma UPGRADE.md@348b6528bc',
  ],
  check: (ctx, report) => {
    const { caps } = ctx;
    const v = caps.version.toString();
    for (const { m, spec } of kumaObjects(ctx).filter((k) => k.o.kind === 'Mesh')) {
      for (const [field, present, why] of [
        ['meshServices', !caps.meshServicesModeField && spec.meshServices !== undefined, 'every mesh behaves as Exclusive'],
        ['mtls', !caps.meshMtls && spec.mtls !== undefined, 'identity comes from MeshIdentity and MeshTrust'],
      ] as const) {
        if (!present) continue;
        report(m, `sets spec.${field}, which Kuma ${v} removed (${why})`,
          field === 'mtls' ? 'Remove spec.mtls and declare a MeshIdentity and MeshTrust.' : 'Remove spec.meshServices (and move off .mesh names to MeshService hostnames).', { at: ['spec', field] });
      }
    }
  },
};
