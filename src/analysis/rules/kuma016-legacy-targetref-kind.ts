import { FindingSeverity } from '../finding';
import { kumaPolicies3x } from './_kuma-objects';
import { RuleDefinition } from './rule';

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
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma UPGRADE.md@348b6528bc',
    'kumahq/kuma deployments/charts/kuma/crds/kuma.io_meshtrafficpermissions.yaml@348b6528bc',
    'kumahq/kuma deployments/charts/kuma/crds/kuma.io_meshtimeouts.yaml@348b6528bc',
  ],
  check: (ctx, report) => {
    const { caps } = ctx;
    const v = caps.version.toString();
    for (const { m, spec } of kumaPolicies3x(ctx)) {
      const top = spec.targetRef;
      if (top?.kind !== undefined && !POLICY_TOP_KINDS_3X.includes(top.kind)) {
        const tags: Record<string, string> | undefined = top.kind === 'MeshSubset' ? top.tags : undefined;
        const mechanical = tags !== undefined && Object.keys(tags).length > 0 && tags['kuma.io/service'] === undefined;
        report(m,
          `selects its targets with targetRef kind ${top.kind}, which Kuma ${v} does not have at the top level (only ${POLICY_TOP_KINDS_3X.join(' and ')})`,
          mechanical ? 'Select the same Dataplanes by labels: { kind: Dataplane, labels: <the tags> }.'
            : 'Select the workloads with { kind: Dataplane, labels: ... } by labels you manage (kuma.io/service no longer exists).',
          { at: ['spec', 'targetRef'], edit: mechanical ? { target: m, ops: [{ op: 'set', path: ['spec', 'targetRef'], value: { kind: 'Dataplane', labels: { ...tags } } }] } : undefined });
      }
      (Array.isArray(spec.to) ? spec.to : []).forEach((entry: any, i: number) => {
        const ref = entry?.targetRef;
        if (ref?.kind === undefined || POLICY_TO_KINDS_3X.includes(ref.kind)) return;
        report(m, `has to[${i}].targetRef kind ${ref.kind}, which Kuma ${v} does not have there`,
          'Target a MeshService, MeshExternalService or MeshMultiZoneService by labels.', { at: ['spec', 'to', i, 'targetRef'] });
      });
    }
  },
};

/** The targetRef kinds a 3.x policy takes at the top level, and in to[]. */
export const POLICY_TOP_KINDS_3X = ['Mesh', 'Dataplane'];
export const POLICY_TO_KINDS_3X = ['Mesh', 'MeshService', 'MeshExternalService', 'MeshMultiZoneService', 'MeshHTTPRoute'];
