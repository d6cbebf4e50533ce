import { Chart } from 'cdk8s';
import { KumaControlPlane, KumaVersion, MeshIdentity, MeshIdentityProvider } from '../src';

/**
 * Kuma 3.x: zones A and B share one trust domain and one CA, so that each zone's proxies trust the
 * other's. Kuma syncs a zone's MeshTrust to the global control plane, not to other zones (kumahq/kuma
 * master 348b6528bc: MeshTrust's KDS flags are GlobalToZones and ZoneToGlobal), so two zones with
 * CAs of their own would refuse each other's certificates. With the same CA and trust domain, the
 * MeshTrust each zone creates from its MeshIdentity already holds the other's CA.
 */
export const SHARED_TRUST_DOMAIN = 'default.mesh.local';

/** The example's clusters that run a Kuma 3.x zone control plane. */
export type ZoneCluster = 'edge' | 'zone-a' | 'zone-b';

/**
 * Sets the control plane of the cluster a chart is applied to (Kuma 3.x: the zone, in every SPIFFE
 * ID the charts write, and zones A and B's shared trust domain). The 2.14 example keeps 2.x's
 * defaults.
 */
export function useZoneControlPlane(chart: Chart, cluster: ZoneCluster): void {
  if (KumaVersion.of(chart).major < 3) return;
  KumaControlPlane.use(chart, cluster === 'edge' ? { zone: 'edge' } : { zone: cluster, trustDomain: SHARED_TRUST_DOMAIN });
}

/**
 * The MeshIdentity of zone A or B (Kuma 3.x): every proxy of the mesh, issued from the CA the two
 * zones share, an intermediate CA of the organisation's (Kuma refuses a self-signed one unless
 * allowed: providers/bundled/bundled.go), whose certificate and key the operator stores in each
 * zone's control plane namespace as the Kuma Secrets `mesh-ca-cert` and `mesh-ca-key` (type
 * system.kuma.io/secret, key `value`), and the shared trust domain (from the control plane setting).
 */
export function sharedCaIdentity(chart: Chart): MeshIdentity | undefined {
  if (KumaVersion.of(chart).major < 3) return undefined;
  return new MeshIdentity(chart, 'Identity', { metadata: { name: 'identity' }, provider: MeshIdentityProvider.caFromSecrets('mesh-ca-cert', 'mesh-ca-key') });
}
