/**
 * MeshIdentity: the only source of mTLS in Kuma 3.x ("A proxy gets an mTLS transport socket ...
 * only when a MeshIdentity matches it", kumahq/kuma UPGRADE.md for 3.0), validated against the CRDs
 * of 2.14 and 3.0; and the warning for permissions in an app that has none.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import {
  DelegatedGatewayDeployment, GatewayPermissionTarget, KumaControlPlane, KumaVersion, MeshIdentity, MeshIdentityProvider, MeshNamespace, MeshService,
  MeshAnalyzer, MeshTrust,
} from '../src';
import { synthValid } from './support/validate';

process.env.CDK8S_KUMA_QUIET = '1';

function chart(version: KumaVersion, options: { trustDomain?: string } = {}) {
  const app = Testing.app();
  KumaVersion.use(app, version);
  KumaControlPlane.use(app, { zone: 'zone-1', ...options });
  return new Chart(app, 'c', { disableResourceNameHashes: true });
}
const identityOf = (c: Chart) => synthValid(c).find((m) => m.kind === 'MeshIdentity');

describe('MeshIdentity', () => {
  test('3.0 default: every proxy of the mesh, a CA Kuma generates (which it issues from only when self-signed is allowed)', () => {
    const c = chart(KumaVersion.V3_0);
    new MeshIdentity(c, 'Identity', { metadata: { name: 'identity' } });
    expect(identityOf(c)).toEqual({
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshIdentity',
      metadata: { name: 'identity', namespace: 'kuma-system', labels: { 'kuma.io/mesh': 'default', 'kuma.io/origin': 'zone' } },
      spec: {
        selector: { dataplane: { matchLabels: {} } },
        provider: { type: 'Bundled', bundled: { autogenerate: { enabled: true }, insecureAllowSelfSigned: true } },
      },
    });
  });

  test('2.14: a CA from Secrets, a selector, the control plane\'s trust domain, certificate expiry', () => {
    const c = chart(KumaVersion.V2_14, { trustDomain: 'prod.example.com' });
    new MeshIdentity(c, 'Identity', {
      metadata: { name: 'gateways' },
      selector: { app: 'kong' },
      federatedZone: false,
      provider: MeshIdentityProvider.caFromSecrets('mesh-ca-cert', 'mesh-ca-key', { certificateExpiry: Duration.hours(24), meshTrustCreation: false }),
    });
    expect(identityOf(c).spec).toEqual({
      selector: { dataplane: { matchLabels: { app: 'kong' } } },
      spiffeID: { trustDomain: 'prod.example.com' },
      provider: {
        type: 'Bundled',
        bundled: {
          autogenerate: { enabled: false },
          ca: {
            certificate: { type: 'Secret', secretRef: { kind: 'Secret', name: 'mesh-ca-cert' } },
            privateKey: { type: 'Secret', secretRef: { kind: 'Secret', name: 'mesh-ca-key' } },
          },
          meshTrustCreation: 'Disabled',
          certificateParameters: { expiry: '86400s' },
        },
      },
    });
    expect(identityOf(c).metadata.labels).toEqual({ 'kuma.io/mesh': 'default' });
  });

  test('SPIRE provider', () => {
    const c = chart(KumaVersion.V3_0);
    new MeshIdentity(c, 'Identity', { provider: MeshIdentityProvider.spire({ agentTimeout: Duration.seconds(2) }) });
    expect(identityOf(c).spec.provider).toEqual({ type: 'Spire', spire: { agent: { timeout: '2s' } } });
  });

  test('bad input: a version without the CRD; a trust domain that contradicts the control plane\'s', () => {
    expect(() => new MeshIdentity(chart(KumaVersion.V2_11), 'Identity')).toThrow(
      'c/Identity: KumaVersion "2.11" does not serve MeshIdentity: Kuma\'s CRDs have that kind in 2.12 to 3.0. Target Kuma 2.12 or newer (KumaVersion.use()), or use Mesh mtls before it.');
    expect(() => new MeshIdentity(chart(KumaVersion.V3_0, { trustDomain: 'a.example' }), 'Identity', { trustDomain: 'b.example' })).toThrow(
      'c/Identity: trustDomain "b.example" contradicts the trust domain of the control plane ("a.example", KumaControlPlane.use()), which the gateways\' permissions match. Set it once with KumaControlPlane.use(app, { trustDomain }), which MeshIdentity and every gateway permission read, and remove it here.');
    // without a control plane setting, the gateways' permissions would use Kuma's default
    expect(() => new MeshIdentity(chart(KumaVersion.V3_0), 'Identity', { trustDomain: 'prod.example.com' })).toThrow(
      'c/Identity: trustDomain "prod.example.com" is not the control plane\'s (KumaControlPlane.use() names none, so the gateways\' permissions match Kuma\'s default <mesh>.<zone>.mesh.local), and the gateways\' SPIFFE IDs would not match them.');
  });
});

describe('3.0 permissions without a MeshIdentity', () => {
  function gatewayWithPermission(withIdentity: 'none' | 'own' | 'imported' | 'analyzed') {
    const c = chart(KumaVersion.V3_0);
    // the analyzer reports it (KUMA037, a warning), once
    if (withIdentity === 'analyzed') new MeshAnalyzer(c.node.root as any, 'Analyzer');
    const kongNs = new MeshNamespace(c, 'KongNs', { metadata: { name: 'kong' } });
    const shopNs = new MeshNamespace(c, 'ShopNs', { metadata: { name: 'shop' } });
    const web = new MeshService(c, 'Web', { metadata: { name: 'web' }, namespace: shopNs, selectorLabels: { app: 'web' }, ports: [{ port: 80 }] });
    const kong = new DelegatedGatewayDeployment(c, 'Kong', { metadata: { name: 'kong' }, namespace: kongNs, containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
    const permission = kong.gateway.allowTo('AllowWeb', GatewayPermissionTarget.service(web));
    if (withIdentity === 'own') new MeshIdentity(c, 'Identity');
    if (withIdentity === 'imported') MeshIdentity.fromMeshIdentityName(c, 'Identity', 'identity');
    synthValid(c);
    return permission.node.metadata.filter((m) => m.type === 'cdk8s-kuma:warning').map((m) => m.data);
  }

  test('warn that they have no effect, unless the app has or imports one', () => {
    expect(gatewayWithPermission('none')).toEqual(['[c/Kong/DelegatedGateway/AllowWeb] lets c/Kong/DelegatedGateway in by its SPIFFE ID, but the app has no MeshIdentity of mesh "default": Kuma 3.0 applies MeshTrafficPermissions only to proxies a MeshIdentity matches, and a mesh without one serves plaintext and lets every client in (kumahq/kuma UPGRADE.md, "Upgrade to 3.0.0"). Add one (new MeshIdentity(chart, \'Identity\')), or declare the mesh\'s existing one (MeshIdentity.fromMeshIdentityName()).']);
    expect(gatewayWithPermission('own')).toEqual([]);
    expect(gatewayWithPermission('analyzed')).toEqual([]);
    expect(gatewayWithPermission('imported')).toEqual([]);
  });
});

describe('MeshTrust', () => {
  // a test CA certificate (openssl req -x509, EC P-256), no private key
  const CA = '-----BEGIN CERTIFICATE-----\nMIIBhzCCAS2gAwIBAgIUTNEqEb/LJpo1evcmCL+M0zWoQ2AwCgYIKoZIzj0EAwIw\nGTEXMBUGA1UEAwwOem9uZS1iIG1lc2ggQ0EwHhcNMjYxMjAyMDM0NzMyWhcNMzYx\nMTI5MDM0NzMyWjAZMRcwFQYDVQQDDA56b25lLWIgbWVzaCBDQTBZMBMGByqGSM49\nAgEGCCqGSM49AwEHA0IABAwKBGSLRT6+0sv50oOcXNOQSwlu4ozFctrhWRm0SRuX\nqgBRiJ9g3tHz2Ccw4eNHj0lVvOaZgtOpcaAeZrf+vU+jUzBRMB0GA1UdDgQWBBTG\nPpPP8LTbuvrgB3ENa/47EghwTjAfBgNVHSMEGDAWgBTGPpPP8LTbuvrgB3ENa/47\nEghwTjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDgg3ga7u6r\nf70/mcLxTWpxjGxjudKOFGsFGaaJo+3F+AIgEJC0hwlCCL/smYqQTkISkpoXok5Y\nzUkH+AabZcM3zrA=\n-----END CERTIFICATE-----\n';
  test('another zone\'s CA for its trust domain, in the control plane namespace, valid against 2.12 - 3.0 CRDs', () => {
    for (const version of [KumaVersion.V2_12, KumaVersion.V3_0]) {
      const c = chart(version);
      new MeshTrust(c, 'ZoneB', { metadata: { name: 'zone-b' }, trustDomain: 'default.zone-b.mesh.local', caCertificates: [CA] });
      const trust = synthValid(c).find((m) => m.kind === 'MeshTrust');
      expect(trust.metadata).toEqual({ name: 'zone-b', namespace: 'kuma-system', labels: { 'kuma.io/mesh': 'default', 'kuma.io/origin': 'zone' } });
      expect(trust.spec).toEqual({ trustDomain: 'default.zone-b.mesh.local', caBundles: [{ type: 'Pem', pem: { value: CA } }] });
    }
  });

  test('bad input: no CA, a private key, a version without the CRD', () => {
    expect(() => new MeshTrust(chart(KumaVersion.V3_0), 'T', { trustDomain: 'a.example', caCertificates: [] })).toThrow(
      'c/T: caCertificates [] is empty; Kuma refuses a MeshTrust without a CA ("must not be empty"). Pass the PEM certificate of the other zone\'s CA.');
    expect(() => new MeshTrust(chart(KumaVersion.V3_0), 'T', { trustDomain: 'a.example', caCertificates: ['-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n'] })).toThrow(
      'c/T: caCertificates[0] "-----BEGIN PRIVATE KEY-----" is not a PEM certificate ("provided certificate has incorrect format"; a private key is refused). Pass the CA certificate, -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----.');
    expect(() => new MeshTrust(chart(KumaVersion.V2_11), 'T', { trustDomain: 'a.example', caCertificates: [CA] })).toThrow(
      'c/T: KumaVersion "2.11" does not serve MeshTrust: Kuma\'s CRDs have that kind in 2.12 to 3.0. Target Kuma 2.12 or newer (KumaVersion.use()).');
  });
});
