import { KumaAnnotation } from '../../kuma/well-known';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

export const KUMA005: RuleDefinition = {
  id: 'KUMA005',
  name: 'gateway-annotation-on-workload',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'kuma.io/gateway is on the workload\'s metadata, where Kuma never reads it; it belongs on the pod template.',
  rationale: 'Kuma\'s injector and pod converter read `kuma.io/gateway` from the Pod\'s own annotations, which come from `spec.template.metadata`; on the workload\'s metadata it never reaches a Pod, so the pods are not made a delegated gateway and, if meshed, get an ordinary sidecar that takes their inbound traffic.',
  restsOn: 'Reads the metadata annotations of workloads with a pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob); a bare Pod\'s metadata is its pod metadata and is not reported. Runs on every `--kuma-version`; on 3.x KUMA014 then reports the annotation once moved.',
  fix: 'Move `kuma.io/gateway` to `spec.template.metadata.annotations`; on Kuma 3.x replace it with `traffic.kuma.io/exclude-inbound-ports` instead (see KUMA014).',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/pod_converter.go@v2.14.3',
    'https://developer.konghq.com/mesh/delegated-gateways/',
  ],
  check: (ctx, report) => {
    for (const pod of ctx.index.pods) {
      if (pod.workloadAnnotations[KumaAnnotation.GATEWAY] === undefined) continue;
      report(pod.manifest, 'carries kuma.io/gateway on its own metadata, where Kuma never reads it', 'Move the annotation to the pod template (spec.template.metadata.annotations).',
        { at: ['metadata', 'annotations', 'kuma.io/gateway'] });
    }
  },
};
