import { GatewayMarking } from '../../kuma/gateway-marking';
import { KumaAnnotation } from '../../kuma/well-known';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

export const KUMA006: RuleDefinition = {
  id: 'KUMA006',
  name: 'gateway-annotation-value',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'kuma.io/gateway on a pod template has a value that does not make a delegated gateway: in Kuma 2.x only "enabled" does (3.x removed the key: KUMA014).',
  rationale: 'Kuma\'s pod converter takes only `enabled` for a delegated gateway: `provided` takes the provided-gateway path and is refused by the injector, which reads the annotation as a boolean; `builtin` makes a builtin-gateway (MeshGateway) Dataplane; any other value fails conversion with `invalid delegated gateway type`, so the pods get no Dataplane at all.',
  restsOn: 'Reads `kuma.io/gateway` on pod templates and bare Pods, for `--kuma-version` 2.6 to 2.14, where the annotation marks delegated gateways; silent on 3.x, where KUMA014 reports the removed annotation.',
  fix: 'Set `kuma.io/gateway` to `enabled`.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/pod_converter.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/pod_controller.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector/precheck.go@v2.14.3',
  ],
  check: (ctx, report) => {
    // 2.x only: 3.x removed the key (KUMA014)
    if (!ctx.caps.gatewayMarkings.includes(GatewayMarking.GATEWAY_ANNOTATION)) return;
    for (const pod of ctx.index.pods) {
      const gw = pod.annotations[KumaAnnotation.GATEWAY];
      if (gw === undefined || gw === 'enabled') continue;
      // Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/controllers/pod_converter.go dataplaneFor;
      // pkg/plugins/runtime/k8s/controllers/pod_controller.go Reconcile; pkg/transparentproxy/kubernetes/kubernetes.go GetEnabled
      const what = gw === 'provided'
        ? 'which Kuma\'s pod converter takes for a provided gateway, not a delegated one, and its injector refuses as a boolean ("annotation kuma.io/gateway has wrong value")'
        : gw === 'builtin'
          ? 'which makes Kuma build a builtin gateway (MeshGateway) Dataplane for the pods, not a delegated gateway'
          : 'which Kuma\'s pod converter refuses ("invalid delegated gateway type"), so the pods get no Dataplane at all';
      report(pod.manifest, `has kuma.io/gateway: ${JSON.stringify(gw)} on its pod template, ${what}; "enabled" is the only delegated value in Kuma 2.x`, 'Set it to "enabled".', { at: [...pod.metadataPath, 'annotations', 'kuma.io/gateway'] });
    }
  },
};
