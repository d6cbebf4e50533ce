import { KumaLabel } from '../../kuma/well-known';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

export const KUMA004: RuleDefinition = {
  id: 'KUMA004',
  name: 'pod-injection-namespace-unlabelled',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'Pods carry kuma.io/sidecar-injection: enabled in a namespace without the kuma.io/sidecar-injection label: Kuma\'s pod webhook requires the namespace label to exist, so they run without a sidecar.',
  rationale: 'Since Kuma 2.11 the pod-level injector webhook (`pods-kuma-injector.kuma.io`) matches only pods in namespaces that carry the `kuma.io/sidecar-injection` label with some value, so the API server never calls it for these pods: they start without a sidecar and stay outside the mesh.',
  restsOn: 'Reads pod templates labelled `kuma.io/sidecar-injection: enabled` and the labels of their Namespace from the files or `--namespace-label`; silent when the namespace is unknown or carries the label with a value Kuma parses. The code applies it at every `--kuma-version`, although the webhook of Kuma 2.6 to 2.10 had no namespace condition and injected such pods.',
  fix: 'Label the namespace `kuma.io/sidecar-injection: enabled` to mesh all its pods, or `disabled` to keep injection per workload (whose Services then need the service-upstream annotations, see KUMA001).',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml@v2.14.3',
    'kumahq/kuma UPGRADE.md@v2.14.3',
    'https://developer.konghq.com/mesh/annotations',
  ],
  check: (ctx, report) => {
    for (const pod of ctx.index.pods) {
      const ns = ctx.index.injection(pod.namespace);
      if (pod.labels[KumaLabel.SIDECAR_INJECTION] !== 'enabled' || !ns.known || ns.allowsPodOptIn) continue;
      report(pod.manifest,
        `labels its pods kuma.io/sidecar-injection: enabled, but namespace ${pod.namespace} has no kuma.io/sidecar-injection label, so Kuma's pod webhook never fires and the pods run without a sidecar`,
        `Label namespace ${pod.namespace} kuma.io/sidecar-injection=enabled (or disabled, to keep injection per workload).`, { at: [...pod.metadataPath, 'labels', 'kuma.io/sidecar-injection'] });
    }
  },
};
