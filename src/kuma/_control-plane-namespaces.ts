/*
 * The namespaces the Helm charts install the control plane in: Kuma's chart in kuma-system
 * (https://kuma.io/docs/latest/production/cp-deployment/kubernetes/), Kong Mesh's in
 * kong-mesh-system (https://developer.konghq.com/how-to/deploy-mesh-on-kubernetes).
 */

/** Kuma's chart's namespace. */
export const KUMA_SYSTEM = 'kuma-system';
/** Kong Mesh's chart's namespace. */
export const KONG_MESH_SYSTEM = 'kong-mesh-system';

/** Both, Kuma's first. */
export const DEFAULT_CONTROL_PLANE_NAMESPACES = [KUMA_SYSTEM, KONG_MESH_SYSTEM];
