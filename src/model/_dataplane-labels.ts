import type { DataplaneLabelRules } from '../kuma/_kuma-capabilities';

/*
 * The labels Kuma puts on the Dataplane its pod converter makes of a pod: the pod's labels, then
 * what the control plane computes. kumahq/kuma pkg/plugins/runtime/k8s/controllers/pod_converter.go
 * `PodToDataplane` calling pkg/core/resources/model/resource.go `ComputeLabels` (2.9.0 ... v2.13.0)
 * or pkg/core/resources/labels/compute.go `Compute` (v2.14.3 and the 3.0 development commit
 * 348b6528bc); what each version computes is `KumaCapabilities.dataplaneLabels`. Checked against
 * Kuma's converter fixtures (test/conformance/suites.ts).
 */

/** What the label computation reads besides the pod. */
export interface DataplaneLabelContext {
  /** The version's rules (`KumaCapabilities.dataplaneLabels`). */
  readonly rules: DataplaneLabelRules;
  /** The Dataplane's name: the pod's. */
  readonly name: string;
  /** The mesh the Dataplane is in. */
  readonly mesh: string;
  /** The control plane's mode: `zone` in a cluster (standalone or federated); unset as Kuma's converter tests run it. */
  readonly mode?: 'zone' | 'global';
  /** The zone's name (`kuma.io/zone` in zone mode). */
  readonly zone?: string;
  /** The control plane's `workloadLabels` (`computeWorkloadName`): the first a pod has names its workload. */
  readonly workloadLabels?: readonly string[];
  /** The labels of the Dataplane Kuma made before, if any (`mergeLabels`: the pod's override them). */
  readonly existing?: Record<string, string>;
}

const ORIGIN = 'kuma.io/origin';

/** The Dataplane's `metadata.labels`. */
export function dataplaneLabels(pod: any, ctx: DataplaneLabelContext): Record<string, string> {
  const rules = ctx.rules;
  const podLabels: Record<string, string> = pod.metadata?.labels ?? {};
  const labels: Record<string, string> = rules.podLabels ? { ...ctx.existing, ...podLabels } : {};
  const setIfNotExist = (k: string, v: string) => {
    if (labels[k] === undefined) labels[k] = v;
  };
  if (rules.displayName) labels['kuma.io/display-name'] = ctx.name;
  setIfNotExist('kuma.io/mesh', ctx.mesh === '' ? 'default' : ctx.mesh);
  if (rules.zoneLabelsReplace) {
    if (ctx.mode === 'global') labels[ORIGIN] = 'global';
    if (ctx.mode === 'zone') {
      labels[ORIGIN] = 'zone';
      setIfNotExist('kuma.io/zone', ctx.zone ?? '');
      setIfNotExist('kuma.io/env', 'kubernetes');
    }
  } else if (ctx.mode === 'zone') {
    setIfNotExist(ORIGIN, 'zone');
    if (labels[ORIGIN] !== 'global') {
      setIfNotExist('kuma.io/zone', ctx.zone ?? '');
      setIfNotExist('kuma.io/env', 'kubernetes');
    }
  }
  // core_model.IsLocallyOriginated
  const origin = labels[ORIGIN];
  const local = ctx.mode === undefined || origin === undefined || origin === ctx.mode;
  const namespace = pod.metadata?.namespace;
  if (typeof namespace === 'string' && namespace !== '' && local) setIfNotExist('k8s.kuma.io/namespace', namespace);
  // a pod's Dataplane is a sidecar's (a delegated gateway too: only builtin gateways are another type)
  if (rules.proxyType) labels['kuma.io/proxy-type'] = 'sidecar';
  else if (rules.displayName) delete labels['kuma.io/proxy-type'];
  // (2.14's compute.go also drops kuma.io/listener-zoneingress and -zoneegress from a Dataplane
  // without such listeners: labels of zone proxies, which are not modelled)
  const serviceAccount = pod.spec?.serviceAccountName;
  if (rules.serviceAccount && typeof serviceAccount === 'string' && serviceAccount !== '') labels['k8s.kuma.io/service-account'] = serviceAccount;
  if (rules.workload) {
    // computeWorkloadName: the first workload label the pod has, else its ServiceAccount
    const workload = (ctx.workloadLabels ?? []).map((k) => podLabels[k]).find((v) => v !== undefined && v !== '') ?? serviceAccount;
    if (typeof workload === 'string' && workload !== '') labels['kuma.io/workload'] = workload;
  }
  return labels;
}
