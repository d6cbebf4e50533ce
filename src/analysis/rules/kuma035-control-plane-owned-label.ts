import { CONTROL_PLANE_LABELS, OWNED_LABEL_PROBLEM } from '../../kuma/_owned-labels';
import { Manifest } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

/*
 * KUMA035 control-plane-owned-label: a label Kuma computes (pkg/core/resources/labels/
 * registry.go) written on a Kuma resource, a meshed pod template (its Dataplane's labels) or a
 * Service of meshed pods (copied onto its MeshService). Kuma 3.0 refuses it (kumahq/kuma PR
 * #18273 for k8s.kuma.io/service-account, merged; PR #18760 for the others, reported); 2.x
 * overwrites it or keeps the wrong value.
 */

export const KUMA035: RuleDefinition = {
  id: 'KUMA035',
  name: 'control-plane-owned-label',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'A label Kuma\'s control plane computes (kuma.io/display-name, kuma.io/zone, kuma.io/env, k8s.kuma.io/namespace, kuma.io/policy-role, k8s.kuma.io/service-account, kuma.io/workload, ...) is written on a Kuma resource, a meshed pod or a Service of meshed pods: Kuma 3.0 refuses a value that differs from the computed one; 2.x overwrites it or keeps the wrong value.',
  severityNote: 'An error with `--kuma-version 3.0`, which is reported to refuse a value that differs from the computed one; a warning on 2.x, which overwrites it or keeps the wrong value.',
  rationale: 'Kuma\'s control plane computes these labels itself: 2.x overwrites a hand-written value or, for `kuma.io/zone`, `kuma.io/env` and `k8s.kuma.io/namespace`, keeps it in place of the true one, which misplaces the object for policy matching. Kuma 3.0 already refuses a hand-set `k8s.kuma.io/service-account` (kumahq/kuma#18273) and is reported to refuse any such label whose value differs from the computed one (kumahq/kuma#18760).',
  restsOn: 'Reads the labels of every `kuma.io/v1alpha1` object (`kuma.io/origin: zone` or `global` allowed), of pod templates not known to be unmeshed, and of Services that select meshed pods, for `kuma.io/display-name`, `kuma.io/origin`, `kuma.io/zone`, `kuma.io/env`, `k8s.kuma.io/namespace`, `kuma.io/policy-role`, `k8s.kuma.io/service-account`, `kuma.io/workload` and the zone-proxy listener labels. Runs on every `--kuma-version`.',
  fix: 'Remove these labels and let the control plane set them, selecting by them in policies only; `kuma.io/mesh` stays the user\'s to set.',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma pkg/core/resources/labels/registry.go@348b6528bc',
    'kumahq/kuma pkg/core/resources/labels/compute.go@v2.14.3',
    'kumahq/kuma#18273',
    'kumahq/kuma#18760',
  ],
  check: (ctx, report) => {
    const { index, caps } = ctx;
    const severity = caps.permissionRules ? FindingSeverity.ERROR : FindingSeverity.WARNING;
    const owned = (labels: Record<string, unknown> | undefined, allowed: (key: string, value: unknown) => boolean) =>
      Object.entries(labels ?? {}).filter(([k, v]) => CONTROL_PLANE_LABELS.includes(k) && !allowed(k, v)).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    const reportKeys = (m: Manifest, where: string, keys: string[], labelsAt: readonly string[] = ['metadata', 'labels']) => {
      if (keys.length === 0) return;
      report(m, `carries ${keys.join(', ')} ${where}, which ${OWNED_LABEL_PROBLEM.replace(/^is a label/, keys.length > 1 ? 'are labels' : 'is a label')}`,
        'Remove it: select by it in policies, but let the control plane set it.',
        { severity, at: [...labelsAt, keys[0].split(':')[0]] });
    };

    // KUMA035: Kuma resources (kuma.io/origin zone or global is what Kuma requires on federated ones)
    for (const m of index.manifests) {
      const o = m.obj;
      if (o === null || typeof o !== 'object' || o.apiVersion !== 'kuma.io/v1alpha1') continue;
      reportKeys(m, 'in its labels', owned(o.metadata?.labels, (k, v) => k === 'kuma.io/origin' && (v === 'zone' || v === 'global')));
    }
    // ... meshed pods (their Dataplane's labels) and the Services of meshed pods (their MeshService's)
    for (const pod of index.pods) {
      if (index.meshed(pod) === false) continue;
      reportKeys(pod.manifest, 'on its pods', owned(pod.labels, () => false), [...pod.metadataPath, 'labels']);
    }
    for (const svc of index.services) {
      if (!index.selectedPods(svc.obj).some((p) => index.meshed(p) === true)) continue;
      reportKeys(svc, 'in its labels (Kuma copies them onto its MeshService)', owned(svc.obj.metadata?.labels, () => false));
    }
  },
};
