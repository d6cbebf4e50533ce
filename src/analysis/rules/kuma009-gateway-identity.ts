import { predictDataplane, servicesSelectingPod } from '../../model/_dataplane';
import { podView, workloadOfPodOwner } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

export const KUMA009: RuleDefinition = {
  id: 'KUMA009',
  name: 'gateway-identity',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'Kuma names a delegated gateway after the first port of the alphabetically first Service selecting its pods (kumahq/kuma#12765); here that is not its proxy Service.',
  rationale: 'Kuma 2.x tags a delegated gateway with the `kuma.io/service` of the first port of the first Service, sorted by name, that selects its pods; when a chart\'s admin or metrics Service sorts first, policies and permissions that name the gateway by its proxy Service\'s `kuma.io/service` miss it.',
  restsOn: 'Reads gateways marked `kuma.io/gateway: enabled` and the Services of the set that select their pods (`kuma.io/ignore: "true"` ones left out); it needs two or more such Services, one of them recognisable as the proxy (type LoadBalancer, or a name containing `proxy`). Silent on 3.x, whose Dataplanes carry no `kuma.io/service` tag.',
  fix: 'Annotate the Services that sort before the proxy Service `kuma.io/ignore: "true"`, or target the gateway by its pod labels instead of `kuma.io/service`.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma#12765',
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/pod_controller.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/pod_converter.go@v2.14.3',
  ],
  check: (ctx, report) => {
    // 2.x: Kuma 3.x gateways carry no kuma.io/service tag
    if (!ctx.caps.inboundTags) return;
    const services = ctx.index.services.map((s) => s.obj);
    for (const gw of ctx.gateways) {
      const pod = podView(gw);
      const selecting = servicesSelectingPod(pod, services);
      if (selecting.length < 2) continue;
      const proxy = selecting.find((s) => s.spec?.type === 'LoadBalancer') ?? selecting.find((s) => /proxy/.test(String(s.metadata?.name)));
      if (proxy === undefined) continue;
      const identity = predictDataplane(pod, selecting, { inboundTags: true, workload: workloadOfPodOwner(gw) }).gateway?.tags;
      const named = identity?.['k8s.kuma.io/service-name'];
      if (identity === undefined || named === undefined || named === proxy.metadata?.name) continue;
      const before = selecting.slice(0, selecting.indexOf(proxy)).map((s) => s.metadata?.name);
      report(gw.manifest,
        `will be named ${identity['kuma.io/service']} by Kuma (first port of the alphabetically first Service selecting its pods), not after its proxy Service ${proxy.metadata?.name}; policies that target the gateway by kuma.io/service will miss`,
        {
          api: `Annotate ${before.join(', ')} with kuma.io/ignore: "true" (DelegatedGateway.ignoreService()), or target the gateway by labels.`,
          cli: `Annotate ${before.join(', ')} with kuma.io/ignore: "true", or target the gateway by labels.`,
        });
    }
  },
};
