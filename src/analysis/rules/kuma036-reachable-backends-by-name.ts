import { byLabels, parseBackendRefs, reachableBackendsAnnotation } from '../../kuma/_reachable-backends';
import { KumaAnnotation } from '../../kuma/well-known';
import { podMetadataPath } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

/*
 * KUMA036 reachable-backends-by-name: a `kuma.io/reachable-backends` ref by `name`/`namespace`,
 * which Kuma 3.0 resolves to nothing ("select reachableBackends by labels only", kumahq/kuma PR
 * #18832; reported for the release). Fixable: the same refs by labels.
 */

export const KUMA036: RuleDefinition = {
  id: 'KUMA036',
  name: 'reachable-backends-by-name',
  severity: FindingSeverity.ERROR,
  fixable: true,
  summary: 'kuma.io/reachable-backends names a backend by name/namespace, which Kuma 3.0 resolves to nothing (refs select by labels only; reported for the release), so the sidecar gets no outbound for it.',
  rationale: 'Kuma 3.0 is reported to select reachable backends by labels only (kumahq/kuma#18832): a ref by `name` or `namespace` in `kuma.io/reachable-backends` matches no backend, so the sidecar gets no outbound for it and requests to that backend fail or leave through passthrough.',
  restsOn: 'Reads `kuma.io/reachable-backends` on pod templates, with `--kuma-version 3.0`; silent on 2.x, where refs by name are valid.',
  fix: 'Name each backend by its labels `kuma.io/display-name` and `k8s.kuma.io/namespace`, keeping `port`; `cdk8s-kuma lint --fix` rewrites the refs.',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma#18832',
    'https://developer.konghq.com/mesh/annotations',
  ],
  check: (ctx, report) => {
    const { index, caps } = ctx;
    // KUMA036: refs by name in kuma.io/reachable-backends, on 3.0
    if (caps.reachableBackendsByLabels) {
      for (const pod of index.pods) {
        const text = pod.annotations[KumaAnnotation.REACHABLE_BACKENDS];
        const refs = text === undefined ? undefined : parseBackendRefs(String(text));
        if (refs === undefined || !refs.some((r) => r.name !== undefined || r.namespace !== undefined)) continue;
        const fixed = refs.map((r) => byLabels({ ...r, namespace: r.name !== undefined ? r.namespace ?? pod.namespace : r.namespace }));
        const path = podMetadataPath(pod.manifest.obj);
        report(pod.manifest,
          `lists backends by name in kuma.io/reachable-backends, which Kuma ${caps.version} resolves to nothing, so the sidecar gets no outbound for them (refs select by labels only: kumahq/kuma PR #18832, as reported for the release)`,
          {
            api: 'Name each backend by its labels kuma.io/display-name and k8s.kuma.io/namespace (ReachableBackend writes them so on Kuma 3.x).',
            cli: 'Name each backend by its labels kuma.io/display-name and k8s.kuma.io/namespace (cdk8s-kuma lint --fix rewrites them).',
          },
          {
            at: [...pod.metadataPath, 'annotations', KumaAnnotation.REACHABLE_BACKENDS],
            edit: path === undefined ? undefined : {
              target: pod.manifest,
              ops: [{ op: 'set', path: [...path, 'annotations', KumaAnnotation.REACHABLE_BACKENDS], value: reachableBackendsAnnotation(fixed) }],
            },
          });
      }
    }
  },
};
