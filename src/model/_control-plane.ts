import { Manifest, ManifestIndex } from './_manifests';
import { DEFAULT_CONTROL_PLANE_NAMESPACES } from '../kuma/_control-plane-namespaces';

/*
 * Where a set's control plane runs, as far as the set or the caller says: the rules on objects Kuma
 * reads only from its control plane's namespace (KUMA022, KUMA033) and on pods it injects (KUMA028)
 * read it.
 */

/** Where the control plane runs, and what says so. */
export interface ControlPlaneFact {
  readonly namespace: string;
  /** The words a finding quotes: `--distribution kong-mesh`, `KumaControlPlane.use() on app`. */
  readonly basis: string;
  /** Whether it runs Kuma CNI, when the setting says. */
  readonly cni?: boolean;
}

/**
 * The control plane namespace when nothing names it: the one of kuma-system and kong-mesh-system
 * the set has objects in (or a Namespace of), else Kuma's default, assumed.
 */
export function inferredControlPlane(index: ManifestIndex): ControlPlaneFact & { readonly assumed: boolean } | undefined {
  const seen = DEFAULT_CONTROL_PLANE_NAMESPACES
    .filter((ns) => index.namespaces.has(ns) || index.manifests.some((m) => m.obj?.metadata?.namespace === ns));
  if (seen.length === 1) return { namespace: seen[0], basis: `the set has objects in ${seen[0]}`, assumed: false };
  if (seen.length > 1) return undefined; // the set spans clusters of both: not known which applies
  return { namespace: DEFAULT_CONTROL_PLANE_NAMESPACES[0], basis: 'assumed: Kuma\'s default, as nothing in the set names the control plane\'s namespace', assumed: true };
}

/** Whether the control plane of a manifest's cluster runs Kuma CNI, when something says so. */
export type CniOf = (m: Manifest) => boolean | undefined;

/** The control plane of a manifest: what the caller says, else inferred from the set once. */
export function controlPlaneResolver(index: ManifestIndex, given: ((m: Manifest) => ControlPlaneFact | undefined) | undefined):
(m: Manifest) => (ControlPlaneFact & { readonly assumed: boolean }) | undefined {
  let guess: ReturnType<typeof inferredControlPlane> | null = null;
  return (m) => {
    const fact = given?.(m);
    if (fact !== undefined) return { ...fact, assumed: false };
    if (guess === null) guess = inferredControlPlane(index);
    return guess;
  };
}
