/**
 * Who a Kuma 3.x gateway is to the mesh: its own ServiceAccount (never the namespace's default),
 * and a SPIFFE ID in the trust domain of its zone (Kuma's default `<mesh>.<zone>.mesh.local`, or
 * the one set for the control plane).
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DelegatedGateway, DelegatedGatewayDeployment, GatewayPermissionTarget, KumaControlPlane, KumaVersion, MeshNamespace, MeshService } from '../src';
import { synthValid } from './support/validate';

process.env.CDK8S_KUMA_QUIET = '1';

function zone(version: KumaVersion, options: { trustDomain?: string } = {}) {
  const app = Testing.app();
  KumaVersion.use(app, version);
  KumaControlPlane.use(app, { zone: 'zone-1', ...options });
  const c = new Chart(app, 'edge', { disableResourceNameHashes: true });
  const kongNs = new MeshNamespace(c, 'KongNs', { metadata: { name: 'kong' } });
  const shopNs = new MeshNamespace(c, 'ShopNs', { metadata: { name: 'shop' } });
  const web = new MeshService(c, 'Web', { metadata: { name: 'web' }, namespace: shopNs, selectorLabels: { app: 'web' }, ports: [{ port: 80 }] });
  return { app, c, kongNs, web };
}
const spiffeIds = (manifests: any[]) => manifests.filter((m) => m.kind === 'MeshTrafficPermission').map((m) => m.spec.rules[0].default.allow[0].spiffeID.value);

describe('gateway identity', () => {
  test('3.0: a DelegatedGatewayDeployment without a ServiceAccount gets its own, named after it', () => {
    const { c, kongNs, web } = zone(KumaVersion.V3_0);
    new DelegatedGatewayDeployment(c, 'Kong', { metadata: { name: 'kong' }, namespace: kongNs, containers: [{ image: 'kong:3.9', portNumber: 8000 }] })
      .gateway.allowTo('AllowWeb', GatewayPermissionTarget.service(web));
    const manifests = synthValid(c);
    expect(manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => m.metadata)).toEqual([{ name: 'kong', namespace: 'kong' }]);
    const pod = manifests.find((m) => m.kind === 'Deployment').spec.template.spec;
    expect([pod.serviceAccountName, pod.automountServiceAccountToken]).toEqual(['kong', true]);
    expect(spiffeIds(manifests)).toEqual(['spiffe://default.zone-1.mesh.local/ns/kong/sa/kong']);
  });

  test('3.0, a Deployment without a name: the account takes its generated name, and is written before it', () => {
    const { c, kongNs } = zone(KumaVersion.V3_0);
    const kong = new DelegatedGatewayDeployment(c, 'Kong', { namespace: kongNs, podMetadata: { labels: { app: 'kong' } }, containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
    const manifests = synthValid(c);
    const kinds = manifests.map((m) => m.kind);
    expect(kinds.indexOf('ServiceAccount')).toBeLessThan(kinds.indexOf('Deployment'));
    expect(manifests.find((m) => m.kind === 'ServiceAccount').metadata.name).toBe(kong.name);
    expect(manifests.find((m) => m.kind === 'Deployment').spec.template.spec.serviceAccountName).toBe(kong.name);
  });

  test('2.14: no account is created (2.x lets the gateway in by its tags)', () => {
    const { c, kongNs } = zone(KumaVersion.V2_14);
    new DelegatedGatewayDeployment(c, 'Kong', { metadata: { name: 'kong' }, namespace: kongNs, containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
    expect(synthValid(c).filter((m) => m.kind === 'ServiceAccount')).toEqual([]);
  });

  test('the control plane\'s trust domain is in every SPIFFE ID of its zone\'s gateways; a gateway of another zone keeps its own', () => {
    const { app, c, kongNs, web } = zone(KumaVersion.V3_0, { trustDomain: 'prod.example.com' });
    const kong = new DelegatedGatewayDeployment(c, 'Kong', {
      metadata: { name: 'kong' },
      namespace: kongNs,
      containers: [{ image: 'kong:3.9', portNumber: 8000 }],
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(c, 'Account', 'kong-proxy'),
    });
    kong.gateway.allowTo('AllowWeb', GatewayPermissionTarget.service(web));
    expect(kong.gateway.toAttributes().trustDomain).toBe('prod.example.com');
    const remote = DelegatedGateway.fromGatewayAttributes(c, 'Remote', { name: 'edge', namespace: 'edge', podLabels: { app: 'edge' }, serviceAccountName: 'edge', zone: 'zone-2' });
    remote.allowTo('AllowRemote', GatewayPermissionTarget.service(web));
    const named = DelegatedGateway.fromGatewayAttributes(c, 'Named', { name: 'eu', namespace: 'eu', podLabels: { app: 'eu' }, serviceAccountName: 'eu', zone: 'zone-3', trustDomain: 'eu.example.com' });
    named.allowTo('AllowNamed', GatewayPermissionTarget.service(web));
    expect(spiffeIds(synthValid(app))).toEqual([
      'spiffe://prod.example.com/ns/kong/sa/kong-proxy',
      'spiffe://default.zone-2.mesh.local/ns/edge/sa/edge',
      'spiffe://eu.example.com/ns/eu/sa/eu',
    ]);
    expect(() => kong.gateway.allowTo('Other', GatewayPermissionTarget.service(web), { name: 'other', trustDomain: 'other.example.com' })).toThrow(
      'edge/Kong/DelegatedGateway/Other: trustDomain "other.example.com" contradicts the trust domain of edge/Kong/DelegatedGateway ("prod.example.com", from its control plane or attributes). Remove trustDomain: the permission takes the gateway\'s.');
  });
});
