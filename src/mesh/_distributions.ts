import { KumaDistribution } from './kuma-control-plane';

/** The distributions by the names the lint command and the validation plugin's properties give them. */
export const DISTRIBUTIONS: Record<string, KumaDistribution> = { 'kuma': KumaDistribution.KUMA, 'kong-mesh': KumaDistribution.KONG_MESH };
