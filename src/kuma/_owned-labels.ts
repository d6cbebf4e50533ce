import { IConstruct } from 'constructs';
import { KumaLabel } from './well-known';
import { invalid } from '../private/_validation';

/*
 * The labels Kuma's control plane computes on the resources it stores (and on the Dataplanes it
 * makes of pods, the MeshServices it makes of Services): kumahq/kuma master 348b6528bc
 * pkg/core/resources/labels/registry.go `AllComputedLabels` (v2.14.3 has kuma.io/proxy-type in
 * place of kuma.io/display-name, which 2.x also sets), set by
 * compute.go `Compute`. `kuma.io/mesh` is in the list but is the user's to set (setIfNotExist: it
 * chooses the mesh). A value written by hand is overwritten, or, for kuma.io/zone, kuma.io/env and
 * k8s.kuma.io/namespace (setIfNotExist), kept in place of the true one, which misplaces the object
 * for policy matching; Kuma 3.0 refuses it: kumahq/kuma PR #18273 (k8s.kuma.io/service-account,
 * merged), PR #18760 ("reject a control-plane-owned label whose value differs from the computed
 * one"; reported for the release).
 */

/** The control-plane-owned labels, except `kuma.io/mesh`. */
export const CONTROL_PLANE_LABELS: readonly string[] = [
  'kuma.io/display-name', 'kuma.io/origin', 'kuma.io/zone', 'kuma.io/env', 'k8s.kuma.io/namespace', 'kuma.io/policy-role',
  'k8s.kuma.io/service-account', 'kuma.io/workload', 'kuma.io/listener-zoneingress', 'kuma.io/listener-zoneegress',
];

/** Why a label the control plane computes must not be written. */
export const OWNED_LABEL_PROBLEM = 'is a label Kuma\'s control plane computes (pkg/core/resources/labels/registry.go): Kuma 2.x overwrites it, or keeps it in place of the true value for kuma.io/zone, kuma.io/env and k8s.kuma.io/namespace, and Kuma 3.0 refuses a value that differs from the computed one';

/**
 * Refuses a control-plane-owned label among `labels` (a construct's metadata, a gateway's pod
 * labels), except those in `allowed` with exactly their value (`kuma.io/origin: zone`, which Kuma
 * requires on a federated zone's resources, kumahq/kuma PR #18754).
 */
export function checkNoOwnedLabels(scope: IConstruct | string, field: string, labels: Record<string, string> | undefined,
  allowed: Record<string, string> = {}): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!CONTROL_PLANE_LABELS.includes(key) || allowed[key] === value) continue;
    throw invalid(scope, `${field}["${key}"]`, value, OWNED_LABEL_PROBLEM,
      'Remove it: select by it in policies, but let the control plane set it.');
  }
}

/**
 * The labels of a mesh-scoped resource a zone control plane stores (MeshIdentity, MeshTrust,
 * MeshZoneAddress): the user's, refused when Kuma computes them, its mesh, and on a federated zone
 * `kuma.io/origin: zone`, which Kuma requires there (kumahq/kuma PR #18754).
 */
export function zoneResourceLabels(scope: IConstruct, labels: Record<string, string> | undefined, mesh: string,
  federatedZone: boolean | undefined): Record<string, string> {
  const origin: Record<string, string> = federatedZone ?? true ? { 'kuma.io/origin': 'zone' } : {};
  checkNoOwnedLabels(scope, 'metadata.labels', labels, origin);
  return { ...labels, [KumaLabel.MESH]: mesh, ...origin };
}
