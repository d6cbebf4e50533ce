import { KumaCapabilities } from '../../kuma/_kuma-capabilities';
import { KumaAnnotation } from '../../kuma/well-known';
import { ControlPlaneFact, controlPlaneResolver } from '../../model/_control-plane';
import { describe, Manifest, ManifestIndex } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { Report, RuleDefinition } from './rule';

/*
 * KUMA022: objects Kuma reads only from the control plane's own namespace (its "system namespace").
 * - ContainerPatch: the injector loads the names of kuma.io/container-patches from the system
 *   namespace (kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector/injector.go
 *   loadContainerPatches, i.systemNamespace; v2.14.3), and a missing one fails injection:
 *   "it appears some expected container patches are missing".
 * - Policies (namespaced kinds with a top-level spec.targetRef, KUMA_POLICY_KINDS) before 2.9:
 *   the webhook refuses them elsewhere, "policy can only be created in the system namespace:<ns>"
 *   (kumahq/kuma test/e2e policy tests of the 2.x lines; namespaced policies arrived in 2.9).
 */

export const KUMA022: RuleDefinition = {
  id: 'KUMA022',
  name: 'control-plane-namespace',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'An object Kuma reads only from its control plane\'s namespace (kuma-system, kong-mesh-system for Kong Mesh) is elsewhere: a ContainerPatch (the injector does not find it and injection fails) or, before Kuma 2.9, a policy (the webhook refuses it).',
  severityNote: 'An error when the control plane\'s namespace is given or read from the files and, for a ContainerPatch, a pod of the set names it; a warning when the namespace is only assumed or no pod names the patch.',
  rationale: 'Kuma\'s validating webhook refuses a ContainerPatch outside its control plane\'s namespace, and its injector looks the patches a pod names in `kuma.io/container-patches` up there only, failing injection when one is missing ("it appears some expected container patches are missing"), so those pods are not created. Kuma 2.6 and 2.7 also refuse a policy outside that namespace ("policy can only be created in the system namespace").',
  restsOn: 'Reads ContainerPatches, policies and the pods\' `kuma.io/container-patches`, with the control plane\'s namespace from `--control-plane-namespace` or `--distribution` (KumaControlPlane in an app), else the one of `kuma-system` and `kong-mesh-system` the files use, else `kuma-system`, assumed; silent when the files use both. The policy check applies up to `--kuma-version 2.8`, although Kuma 2.8 already accepts policies in workload namespaces.',
  fix: 'Put the ContainerPatch (and, before 2.9, the policy) in the control plane\'s namespace, and name that namespace with `--control-plane-namespace` or `--distribution` if it is not `kuma-system`.',
  exampleFlags: ['--kuma-version', '2.14', '--distribution', 'kuma'],
  sources: [
    'kumahq/kuma pkg/plugins/runtime/k8s/webhooks/containerpatch_validator.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector/injector.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/webhooks/policy_namespace_validator.go@2.7.0',
  ],
  check: (ctx, report) => controlPlaneFindings(ctx.index, ctx.caps, ctx.controlPlane, report),
};

/** KUMA022 for every object that must live in the control plane's namespace. */
function controlPlaneFindings(index: ManifestIndex, caps: KumaCapabilities,
  given: ((m: Manifest) => ControlPlaneFact | undefined) | undefined, report: Report): void {
  const controlPlaneOf = controlPlaneResolver(index, given);
  const tellIt = 'name it with --control-plane-namespace or --distribution (KumaControlPlane.use() in an app)';

  // Pods by the ContainerPatch names they ask for.
  const askedFor = new Map<string, Manifest[]>();
  for (const pod of index.pods) {
    for (const name of String(pod.annotations[KumaAnnotation.CONTAINER_PATCHES] ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '')) {
      const list = askedFor.get(name) ?? [];
      list.push(pod.manifest);
      askedFor.set(name, list);
    }
  }
  const patches = index.manifests.filter((m) => m.obj?.apiVersion === 'kuma.io/v1alpha1' && m.obj?.kind === 'ContainerPatch');
  for (const m of patches) {
    const cp = controlPlaneOf(m);
    const ns = m.obj.metadata?.namespace;
    if (cp === undefined || ns === undefined || ns === cp.namespace) continue;
    const name = m.obj.metadata?.name;
    // another ContainerPatch of the same name where the injector looks serves the pods
    const served = patches.some((p) => p !== m && p.obj.metadata?.name === name && p.obj.metadata?.namespace === cp.namespace);
    const pods = served ? [] : askedFor.get(name) ?? [];
    const who = pods.length === 0 ? 'no pod of the set names it, and pods that do'
      : `${pods.map((p) => describe(p.obj)).join(', ')} ${pods.length === 1 ? 'names' : 'name'} it in kuma.io/container-patches, so ${pods.length === 1 ? 'its' : 'their'} pods`;
    report(m,
      `is in namespace ${ns}, but Kuma's injector looks ContainerPatches up in the control plane's namespace, ${cp.namespace} (${cp.basis}): ${who} fail injection ("it appears some expected container patches are missing")`,
      `Put the ContainerPatch in namespace ${cp.namespace}${cp.assumed ? `, or, if the control plane runs elsewhere, ${tellIt}` : ''}.`,
      { severity: pods.length > 0 && !cp.assumed ? FindingSeverity.ERROR : FindingSeverity.WARNING, at: ['metadata', 'namespace'] });
  }

  // Policies before 2.9.
  if (!caps.policiesInWorkloadNamespace) {
    for (const m of index.manifests) {
      if (m.obj?.apiVersion !== 'kuma.io/v1alpha1' || !caps.policyKinds.has(m.obj?.kind)) continue;
      const cp = controlPlaneOf(m);
      const ns = m.obj.metadata?.namespace;
      if (cp === undefined || ns === undefined || ns === cp.namespace) continue;
      report(m,
        `is a policy in namespace ${ns}, but Kuma ${caps.version} takes policies only in the control plane's namespace, ${cp.namespace} (${cp.basis}): its webhook refuses this one ("policy can only be created in the system namespace")`,
        `Put it in namespace ${cp.namespace} (Kuma 2.9 and later also take policies in workload namespaces)${cp.assumed ? `, or, if the control plane runs elsewhere, ${tellIt}` : ''}.`,
        { severity: cp.assumed ? FindingSeverity.WARNING : FindingSeverity.ERROR, at: ['metadata', 'namespace'] });
    }
  }
}
