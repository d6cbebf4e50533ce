import { FindingSeverity } from './finding';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';
import { KumaAnnotation } from '../kuma/well-known';
import { KumaControlPlane, KumaDistribution } from '../mesh/kuma-control-plane';
import { describe, Manifest, ManifestIndex } from '../model/_manifests';

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

/** Where the control plane runs, and what says so. */
export interface ControlPlaneFact {
  readonly namespace: string;
  /** The words a finding quotes: `--distribution kong-mesh`, `KumaControlPlane.use() on app`. */
  readonly basis: string;
  /** Whether it runs Kuma CNI, when the setting says. */
  readonly cni?: boolean;
}

type Emit = (id: string, severity: FindingSeverity, m: Manifest, message: string, fix: string) => void;

/** The namespaces the two distributions' Helm charts install their control plane in, Kuma's first. */
export const DEFAULT_NAMESPACES = [KumaDistribution.KUMA, KumaDistribution.KONG_MESH].map((d) => KumaControlPlane.defaultNamespace(d));

/**
 * The control plane namespace when nothing names it: the one of kuma-system and kong-mesh-system
 * the set has objects in (or a Namespace of), else Kuma's default, assumed.
 */
function inferred(index: ManifestIndex): ControlPlaneFact & { readonly assumed: boolean } | undefined {
  const seen = DEFAULT_NAMESPACES.filter((ns) => index.namespaces.has(ns) || index.manifests.some((m) => m.obj?.metadata?.namespace === ns));
  if (seen.length === 1) return { namespace: seen[0], basis: `the set has objects in ${seen[0]}`, assumed: false };
  if (seen.length > 1) return undefined; // the set spans clusters of both: not known which applies
  return { namespace: DEFAULT_NAMESPACES[0], basis: 'assumed: Kuma\'s default, as nothing in the set names the control plane\'s namespace', assumed: true };
}

/** KUMA022 for every object that must live in the control plane's namespace. */
export function controlPlaneFindings(index: ManifestIndex, caps: KumaCapabilities,
  given: ((m: Manifest) => ControlPlaneFact | undefined) | undefined, emit: Emit): void {
  let guess: ReturnType<typeof inferred> | null = null;
  const controlPlaneOf = (m: Manifest) => {
    const fact = given?.(m);
    if (fact !== undefined) return { ...fact, assumed: false };
    if (guess === null) guess = inferred(index);
    return guess;
  };
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
    emit('KUMA022', pods.length > 0 && !cp.assumed ? FindingSeverity.ERROR : FindingSeverity.WARNING, m,
      `is in namespace ${ns}, but Kuma's injector looks ContainerPatches up in the control plane's namespace, ${cp.namespace} (${cp.basis}): ${who} fail injection ("it appears some expected container patches are missing")`,
      `Put the ContainerPatch in namespace ${cp.namespace}${cp.assumed ? `, or, if the control plane runs elsewhere, ${tellIt}` : ''}.`);
  }

  // Policies before 2.9.
  if (!caps.policiesInWorkloadNamespace) {
    for (const m of index.manifests) {
      if (m.obj?.apiVersion !== 'kuma.io/v1alpha1' || !caps.policyKinds.has(m.obj?.kind)) continue;
      const cp = controlPlaneOf(m);
      const ns = m.obj.metadata?.namespace;
      if (cp === undefined || ns === undefined || ns === cp.namespace) continue;
      emit('KUMA022', cp.assumed ? FindingSeverity.WARNING : FindingSeverity.ERROR, m,
        `is a policy in namespace ${ns}, but Kuma ${caps.version} takes policies only in the control plane's namespace, ${cp.namespace} (${cp.basis}): its webhook refuses this one ("policy can only be created in the system namespace")`,
        `Put it in namespace ${cp.namespace} (Kuma 2.9 and later also take policies in workload namespaces)${cp.assumed ? `, or, if the control plane runs elsewhere, ${tellIt}` : ''}.`);
    }
  }
}
