import { KUMA_SERVICE_TAG, meshServicePortName } from '../../kuma/_addresses';
import { KumaLabel } from '../../kuma/well-known';
import { ManifestIndex } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { kumaPolicies3x } from './_kuma-objects';
import { POLICY_TO_KINDS_3X } from './kuma016-legacy-targetref-kind';
import { RuleDefinition } from './rule';

/*
 * One of the blockers that keep 2.x manifests from working on Kuma 3.x (kumahq/kuma#18662;
 * annotations.go at v2.14.3 vs 348b6528bc; Kuma's UPGRADE.md for 3.0, test/conformance/kuma/crds/3.0
 * schemas), each with its own rule; the mechanical ones carry the edit that resolves them. Run with
 * `--kuma-version 3.0` before upgrading: Kong's kuma3-preflight audits a running control plane,
 * these audit the manifests before anything is applied.
 */

export const KUMA017: RuleDefinition = {
  id: 'KUMA017',
  name: 'targetref-by-name',
  severity: FindingSeverity.ERROR,
  fixable: true,
  summary: 'Kuma 3.x: a to[].targetRef by name/namespace, which the 3.x CRDs prune: select by labels (kuma.io/display-name, k8s.kuma.io/namespace) and sectionName.',
  rationale: 'Kuma 3.0 selects real resources by `labels` only, and its CRDs declare only `kind`, `labels` and `sectionName` in `to[].targetRef`, so the API server prunes `name` and `namespace` and the policy silently loses that destination.',
  restsOn: 'Reads each `to[].targetRef` of a kind 3.x accepts there that sets `name` or `namespace`, with `--kuma-version 3.0`; a `kuma.io/service`-style name (`<name>_<namespace>_svc_<port>`) is resolved through the Service in the files to its MeshService port name. Silent on 2.x.',
  fix: 'Select the MeshService by `labels` (`kuma.io/display-name`, `k8s.kuma.io/namespace`) and its port by `sectionName`; `cdk8s-kuma lint --fix` rewrites a ref by name and namespace, or a `kuma.io/service` name whose Service and port are in the files.',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma UPGRADE.md@348b6528bc',
    'kumahq/kuma deployments/charts/kuma/crds/kuma.io_meshtimeouts.yaml@348b6528bc',
  ],
  check: (ctx, report) => {
    const { index, caps } = ctx;
    const v = caps.version.toString();
    for (const { m, spec } of kumaPolicies3x(ctx)) {
      (Array.isArray(spec.to) ? spec.to : []).forEach((entry: any, i: number) => {
        const ref = entry?.targetRef;
        if (ref?.kind === undefined || !POLICY_TO_KINDS_3X.includes(ref.kind)) return;
        if (ref.name === undefined && ref.namespace === undefined) return;
        const relabelled = labelRef(index, ref);
        report(m,
          `names to[${i}].targetRef by name (${[ref.namespace, ref.name].filter((x) => x !== undefined).join('/')}), which Kuma ${v}'s CRD prunes: the policy silently loses this target`,
          relabelled !== undefined
            ? `Select it by labels: ${JSON.stringify(relabelled)}.`
            : 'Select it by labels (kuma.io/display-name, k8s.kuma.io/namespace) and sectionName, the name of the MeshService port.',
          { at: ['spec', 'to', i, 'targetRef'], edit: relabelled === undefined ? undefined : { target: m, ops: [{ op: 'set', path: ['spec', 'to', i, 'targetRef'], value: relabelled }] } });
      });
    }
  },
};

/**
 * A name-based `to[].targetRef` as labels, when it is mechanical: a MeshService by name and
 * namespace (its `sectionName` kept), or a `kuma.io/service` whose Service is in the set (the port
 * becomes its MeshService port name).
 */
function labelRef(index: ManifestIndex, ref: any): any {
  const tag = typeof ref.name === 'string' && ref.namespace === undefined ? KUMA_SERVICE_TAG.exec(ref.name) : null;
  if (tag !== null) {
    const svc = index.service(tag[3], tag[1]);
    const port = (svc?.obj.spec?.ports ?? []).find((p: any) => String(p.port) === tag[5]);
    if (port === undefined) return undefined;
    return { kind: ref.kind, labels: { [KumaLabel.DISPLAY_NAME]: tag[1], [KumaLabel.NAMESPACE]: tag[3] }, sectionName: meshServicePortName(port) };
  }
  if (typeof ref.name !== 'string' || typeof ref.namespace !== 'string') return undefined;
  return {
    kind: ref.kind,
    labels: { [KumaLabel.DISPLAY_NAME]: ref.name, [KumaLabel.NAMESPACE]: ref.namespace },
    ...ref.sectionName === undefined ? {} : { sectionName: ref.sectionName },
  };
}
