import { FindingSeverity } from '../finding';
import { servicesLackingUpstream } from './_service-upstream';
import { RuleDefinition } from './rule';

export const KUMA001: RuleDefinition = {
  id: 'KUMA001',
  name: 'service-upstream-missing',
  severity: FindingSeverity.ERROR,
  fixable: true,
  summary: 'A Service that selects meshed pods lacks ingress.kubernetes.io/service-upstream and nginx.ingress.kubernetes.io/service-upstream, and its namespace is not labelled for injection, so Kuma does not add them: a delegated gateway sends to pod IPs and bypasses the mesh (kumahq/kuma#11994).',
  rationale: 'Kuma\'s Service controller adds `ingress.kubernetes.io/service-upstream` and `nginx.ingress.kubernetes.io/service-upstream` only to Services of namespaces whose `kuma.io/sidecar-injection` label is enabled, so a Service of pods that opt in one by one gets neither. Without them Kong and ingress-nginx send to the pod IPs from the endpoints rather than to the ClusterIP, so the gateway\'s sidecar has no outbound for the request: it leaves the mesh in plaintext, outside every policy, and fails where the backend requires mTLS.',
  restsOn: 'Reads Services (not ExternalName, not `kuma.io/ignore: "true"`), the non-gateway pods they select, and the `kuma.io/sidecar-injection` label of their Namespace from the files or `--namespace-label`; at least one pod must be known to be meshed, and the namespace label must not read as enabled. Runs on every `--kuma-version`; silent when the namespace is unknown, when both annotations are already `"true"`, or when every route to the Service is an Ingress annotated `nginx.ingress.kubernetes.io/service-upstream: "true"` or of a Kong IngressClass whose IngressClassParameters set `serviceUpstream: true`.',
  fix: 'Annotate the Service with `ingress.kubernetes.io/service-upstream: "true"` and `nginx.ingress.kubernetes.io/service-upstream: "true"`; `cdk8s-kuma lint --fix` adds the missing ones.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma#11994',
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/service_controller.go@v2.14.3',
    'https://developer.konghq.com/mesh/delegated-gateways/',
  ],
  check: (ctx, report) => {
    for (const { service: svc, namespaceLabel: nsLabel } of servicesLackingUpstream(ctx)) {
      const o = svc.obj;
      report(svc,
        `selects meshed pods (their kuma.io/sidecar-injection: enabled label), but namespace ${o.metadata?.namespace} is ${nsLabel === undefined ? 'not labelled kuma.io/sidecar-injection' : `labelled kuma.io/sidecar-injection=${nsLabel}`}, so Kuma does not add ingress.kubernetes.io/service-upstream and nginx.ingress.kubernetes.io/service-upstream; a delegated gateway would send to pod IPs and bypass the mesh`,
        {
          api: 'Add both annotations with the value "true" (MeshService, ServiceUpstream.annotate() or MeshAnalyzer fix mode).',
          cli: 'Add both annotations with the value "true" (cdk8s-kuma lint --fix adds them).',
        },
        { autoFix: { kind: 'service-upstream', service: svc }, at: ['metadata', 'annotations'] });
    }
  },
};
