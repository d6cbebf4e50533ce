import { KUMA_SERVICE_TAG } from '../../kuma/_addresses';
import { byLabels, reachableBackendsAnnotation } from '../../kuma/_reachable-backends';
import { KumaAnnotation } from '../../kuma/well-known';
import { podMetadataPath } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

/*
 * One of the blockers that keep 2.x manifests from working on Kuma 3.x (kumahq/kuma#18662;
 * annotations.go at v2.14.3 vs 348b6528bc; Kuma's UPGRADE.md for 3.0, test/conformance/kuma/crds/3.0
 * schemas), each with its own rule; the mechanical ones carry the edit that resolves them. Run with
 * `--kuma-version 3.0` before upgrading: Kong's kuma3-preflight audits a running control plane,
 * these audit the manifests before anything is applied.
 */

export const KUMA019: RuleDefinition = {
  id: 'KUMA019',
  name: 'reachable-services-removed',
  severity: FindingSeverity.ERROR,
  fixable: true,
  summary: 'Kuma 3.x: kuma.io/transparent-proxying-reachable-services, which 3.x removed: list kuma.io/reachable-backends instead.',
  rationale: 'Kuma 3.0 removed `kuma.io/transparent-proxying-reachable-services` together with `kuma.io/service` and ignores it, so the sidecar is no longer limited to the listed services; on a control plane that restricts outbound traffic, reported as the 3.0 default, it gets no outbound for them at all.',
  restsOn: 'Reads the annotation on pod templates, with `--kuma-version 3.0`; silent on 2.x, where it is valid.',
  fix: 'List the same Services in `kuma.io/reachable-backends` as MeshService refs by the labels `kuma.io/display-name` and `k8s.kuma.io/namespace`, with their port; `cdk8s-kuma lint --fix` does so when every entry has the form `<name>_<namespace>_svc_<port>` and the pod has no `kuma.io/reachable-backends` yet.',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma UPGRADE.md@348b6528bc',
    'kumahq/kuma#18831',
    'kumahq/kuma#18832',
  ],
  check: (ctx, report) => {
    const { index, caps } = ctx;
    const v = caps.version.toString();
    if (!caps.metadataKeys.has(KumaAnnotation.REACHABLE_SERVICES)) {
      for (const pod of index.pods) {
        const value = pod.annotations[KumaAnnotation.REACHABLE_SERVICES];
        if (value === undefined) continue;
        const names = String(value).split(',').map((n) => n.trim()).filter((n) => n !== '');
        const refs = names.map((n) => KUMA_SERVICE_TAG.exec(n));
        const mechanical = refs.every((r) => r !== null) && pod.annotations[KumaAnnotation.REACHABLE_BACKENDS] === undefined;
        const yaml = refs.every((r) => r !== null)
          // by labels where Kuma reads refs by labels only (3.0, KUMA036)
          ? reachableBackendsAnnotation(refs.map((r) => ({ kind: 'MeshService', name: r![1], namespace: r![3], port: Number(r![5]) }))
            .map((ref) => (caps.reachableBackendsByLabels ? byLabels(ref) : ref))) : '';
        const meta = podMetadataPath(pod.manifest.obj)!;
        report(pod.manifest,
          `lists kuma.io/transparent-proxying-reachable-services, which Kuma ${v} removed: the sidecar would build outbounds for the whole mesh`,
          mechanical ? 'Replace it with kuma.io/reachable-backends listing the same Services as MeshService refs.'
            : `Replace it with kuma.io/reachable-backends (MeshService refs by ${caps.reachableBackendsByLabels ? 'the labels kuma.io/display-name and k8s.kuma.io/namespace' : 'name and namespace'}, and port).`,
          {
            at: [...meta, 'annotations', KumaAnnotation.REACHABLE_SERVICES],
            edit: mechanical ? {
              target: pod.manifest,
              ops: [
                { op: 'delete', path: [...meta, 'annotations', KumaAnnotation.REACHABLE_SERVICES] },
                { op: 'set', path: [...meta, 'annotations', KumaAnnotation.REACHABLE_BACKENDS], value: yaml },
              ],
            } : undefined,
          });
      }
    }
  },
};
