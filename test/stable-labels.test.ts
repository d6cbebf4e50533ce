import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DelegatedGatewayDeployment, GatewayPermissionTarget, KumaProtocol, KumaVersion, KumaWarnings, MeshNamespace, MeshService } from '../src';
import { synthValid } from './support/validate';

// Policies select workloads by labels the user controls, not by cdk8s-plus's
// cdk8s.io/metadata.addr (derived from the construct path): src/private/_stable-labels.ts.

function app(version = KumaVersion.V2_14, podLabels: Record<string, string> = {}, gatewayLabels: Record<string, string> = {}) {
  const a = Testing.app();
  KumaVersion.use(a, version);
  const chart = new Chart(a, 'test');
  const ns = new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
  const web = new kplus.Deployment(chart, 'Web', { metadata: { namespace: 'shop' }, podMetadata: { labels: podLabels }, containers: [{ image: 'web', portNumber: 8080 }] });
  const svc = new MeshService(chart, 'WebSvc', { metadata: { name: 'web' }, namespace: ns, selector: web, ports: [{ port: 80, targetPort: 8080, name: 'http', appProtocol: KumaProtocol.HTTP }] });
  const kong = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
  const gw = new DelegatedGatewayDeployment(chart, 'Gw', { metadata: { name: 'kong' }, namespace: kong, podMetadata: { labels: gatewayLabels }, containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
  return { a, chart, web, svc, gw: gw.gateway };
}
const permission = (chart: any) => synthValid(chart).find((o) => o.kind === 'MeshTrafficPermission');

test('app.kubernetes.io/name and /instance replace the address label in the permission and the gateway\'s identity', () => {
  const { chart, svc, gw } = app(KumaVersion.V2_14, { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop' },
    { 'app.kubernetes.io/name': 'kong', 'app.kubernetes.io/instance': 'edge' });
  gw.allowTo('Allow', GatewayPermissionTarget.service(svc));
  gw.addTimeout('Timeouts', { to: [{ service: svc }], requestTimeout: Duration.seconds(5) });
  const objects = synthValid(chart);
  const mtp = objects.find((o) => o.kind === 'MeshTrafficPermission');
  expect(mtp.spec.targetRef).toEqual({ kind: 'Dataplane', labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop' } });
  expect(mtp.spec.from[0].targetRef.tags).toEqual({ 'app.kubernetes.io/name': 'kong', 'app.kubernetes.io/instance': 'edge', 'k8s.kuma.io/namespace': 'kong' });
  expect(objects.find((o) => o.kind === 'MeshTimeout').spec.targetRef).toEqual({ kind: 'Dataplane', labels: { 'app.kubernetes.io/name': 'kong', 'app.kubernetes.io/instance': 'edge' } });
  expect(JSON.stringify(objects.filter((o) => o.apiVersion === 'kuma.io/v1alpha1'))).not.toContain('cdk8s.io/metadata.addr');
  // the Service itself still selects as cdk8s-plus does
  expect(Object.keys(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'web').spec.selector)).toEqual(['cdk8s.io/metadata.addr']);
});

test('app when there is no app.kubernetes.io/name; labels added before the policy count', () => {
  const { chart, web, svc, gw } = app();
  web.podMetadata.addLabel('app', 'web');
  gw.allowTo('Allow', GatewayPermissionTarget.service(svc));
  expect(permission(chart).spec.targetRef.labels).toEqual({ app: 'web' });
});

test('a label the user selects by is kept, without the address label', () => {
  const { chart, svc, gw } = app();
  svc.selectLabel('tier', 'frontend');
  gw.allowTo('Allow', GatewayPermissionTarget.service(svc));
  expect(permission(chart).spec.targetRef.labels).toEqual({ tier: 'frontend' });
});

test('only the address label: kept, with a warning that names the fix', () => {
  const { a, chart, svc, gw } = app(KumaVersion.V2_14, {}, { app: 'kong' });
  gw.allowTo('Allow', GatewayPermissionTarget.service(svc));
  expect(Object.keys(permission(chart).spec.targetRef.labels)).toEqual(['cdk8s.io/metadata.addr']);
  expect(KumaWarnings.of(a)).toEqual([
    `[test/Gw/DelegatedGateway/Allow] The workload of Service test/WebSvc is selected by cdk8s.io/metadata.addr: ${permission(chart).spec.targetRef.labels['cdk8s.io/metadata.addr']}, a label cdk8s derives from the construct path: renaming the construct rewrites the policy. Give the pods an app.kubernetes.io/name (or app) label, for example podMetadata: { labels: { 'app.kubernetes.io/name': 'web' } }, and policies select them by it.`,
  ]);
});

test('Kuma 3.0: the gateway\'s permission rules match its SPIFFE ID; the workload is still selected by its labels', () => {
  const { chart, svc, gw } = app(KumaVersion.V3_0, { app: 'web' }, { app: 'kong' });
  gw.allowTo('Allow', GatewayPermissionTarget.service(svc), { zone: 'z1' });
  expect(permission(chart).spec.targetRef).toEqual({ kind: 'Dataplane', labels: { app: 'web' } });
});
