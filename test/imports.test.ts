import { Testing } from 'cdk8s';
import { IMPORTED_KINDS } from '../build-tools/kuma-kinds';
import { kuma } from '../src';
import { synthValid } from './support/validate';

describe('generated Kuma L1 classes', () => {
  test('every imported kind is exported under the kuma namespace with its GVK', () => {
    const exported = Object.values(kuma).filter((v: any) => typeof v === 'function' && v.GVK).map((v: any) => v.GVK);
    expect(exported.map((g) => g.kind).sort()).toEqual([...IMPORTED_KINDS].sort());
    expect(new Set(exported.map((g) => g.apiVersion))).toEqual(new Set(['kuma.io/v1alpha1']));
  });

  test('the gateway guide\'s MeshTrafficPermission (2.10+ shape) synthesizes and validates', () => {
    const chart = Testing.chart();
    new kuma.MeshTrafficPermission(chart, 'AllowGateway', {
      metadata: { name: 'demo-app', namespace: 'kuma-demo' },
      spec: {
        targetRef: { kind: kuma.MeshTrafficPermissionSpecTargetRefKind.DATAPLANE, labels: { app: 'demo-app' } },
        from: [{
          targetRef: { kind: kuma.MeshTrafficPermissionSpecFromTargetRefKind.MESH_SUBSET, tags: { 'app.kubernetes.io/name': 'gateway', 'k8s.kuma.io/namespace': 'kong' } },
          default: { action: kuma.MeshTrafficPermissionSpecFromDefaultAction.ALLOW },
        }],
      },
    });
    expect(synthValid(chart)).toEqual([{
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshTrafficPermission',
      metadata: { name: 'demo-app', namespace: 'kuma-demo' },
      spec: {
        targetRef: { kind: 'Dataplane', labels: { app: 'demo-app' } },
        from: [{
          targetRef: { kind: 'MeshSubset', tags: { 'app.kubernetes.io/name': 'gateway', 'k8s.kuma.io/namespace': 'kong' } },
          default: { action: 'Allow' },
        }],
      },
    }]);
  });

  test('legacy-shaped kinds keep their top-level fields (ContainerPatch, Mesh)', () => {
    const chart = Testing.chart();
    new kuma.ContainerPatch(chart, 'Patch', {
      metadata: { name: 'sidecar-debug', namespace: 'kuma-system' },
      spec: { sidecarPatch: [{ op: kuma.ContainerPatchSpecSidecarPatchOp.ADD, path: '/securityContext/privileged', value: 'false' }] },
    });
    new kuma.Mesh(chart, 'Mesh', { metadata: { name: 'default' }, spec: { meshServices: { mode: 'Exclusive' } } });
    const [patch, mesh] = synthValid(chart);
    expect(patch.spec.sidecarPatch).toEqual([{ op: 'add', path: '/securityContext/privileged', value: 'false' }]);
    expect(mesh).toEqual({ apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default' }, spec: { meshServices: { mode: 'Exclusive' } } });
  });

  test('the validator catches an L1 object the CRD rejects', () => {
    const chart = Testing.chart();
    new kuma.MeshService(chart, 'Bad', { metadata: { name: 'bad', namespace: 'shop' }, spec: { ports: [{ port: 80, appProtocol: 'http' }], state: 'Broken' as any } });
    expect(() => synthValid(chart)).toThrow('/spec/state must be equal to one of the allowed values');
  });
});
