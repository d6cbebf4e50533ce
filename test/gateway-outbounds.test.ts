/**
 * A delegated gateway's reachable backends, derived at synth where the control plane restricts
 * outbound traffic (Kuma 3.0's default: kumahq/kuma PR #18831, reported for the release): what its
 * routes (in any chart, added before or after it) and policies send to, by labels only
 * (kumahq/kuma PR #18832), sorted and byte-stable.
 */
import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  DelegatedGatewayDeployment, GatewayFlavour, GatewayPermissionTarget, KumaControlPlane, KumaVersion, MeshNamespace, MeshService, ReachableBackend,
} from '../src';
import { synthValid } from './support/validate';

process.env.CDK8S_KUMA_QUIET = '1';

function setup(version: KumaVersion, configure?: (app: App) => void) {
  const app = Testing.app();
  KumaVersion.use(app, version);
  configure?.(app);
  const edge = new Chart(app, 'edge', { disableResourceNameHashes: true });
  const kongNs = new MeshNamespace(edge, 'KongNs', { metadata: { name: 'kong' } });
  return { app, edge, kongNs };
}

function shop(app: App, id = 'shop') {
  const c = new Chart(app, id, { disableResourceNameHashes: true });
  const ns = new MeshNamespace(c, 'Ns', { metadata: { name: 'shop' } });
  const service = (name: string, port: number) => {
    const pods = new kplus.Deployment(c, `${name}Pods`, { metadata: { name, namespace: 'shop' }, containers: [{ image: 'nginx', portNumber: 8080 }] });
    return new MeshService(c, name, { metadata: { name }, namespace: ns, selector: pods, ports: [{ port, targetPort: 8080, appProtocol: 'http' as any }] });
  };
  return { c, web: service('web', 80), api: service('api', 8080) };
}

const backendsOf = (manifests: any[], name = 'kong') =>
  manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name).spec.template.metadata.annotations['kuma.io/reachable-backends'];

describe('reachable backends derived at synth', () => {
  test('3.0: the routes of its class (another chart, added after it), its policies\' upstreams, what it lists: by labels, sorted', () => {
    const { app, edge, kongNs } = setup(KumaVersion.V3_0, (a) => KumaControlPlane.use(a, { zone: 'zone-1' }));
    const kong = new DelegatedGatewayDeployment(edge, 'Kong', {
      metadata: { name: 'kong' },
      namespace: kongNs,
      flavour: GatewayFlavour.kong(),
      containers: [{ image: 'kong:3.9', portNumber: 8000 }],
      reachableBackends: [ReachableBackend.meshServiceNamed('search', 'shop', 9200)],
    });
    const { c, web, api } = shop(app);
    new kplus.Ingress(c, 'Ingress', { metadata: { name: 'shop', namespace: 'shop' }, className: 'kong' }).addRule('/', kplus.IngressBackend.fromService(web));
    kong.gateway.addTimeout('ApiTimeouts', { to: [{ service: api }], requestTimeout: Duration.seconds(3) });
    kong.gateway.allowTo('AllowWeb', GatewayPermissionTarget.service(web));
    const manifests = synthValid(app);
    expect(backendsOf(manifests)).toBe([
      'refs:',
      '- kind: MeshService', '  labels:', '    "kuma.io/display-name": "api"', '    "k8s.kuma.io/namespace": "shop"',
      '- kind: MeshService', '  port: 9200', '  labels:', '    "kuma.io/display-name": "search"', '    "k8s.kuma.io/namespace": "shop"',
      '- kind: MeshService', '  labels:', '    "kuma.io/display-name": "web"', '    "k8s.kuma.io/namespace": "shop"',
      '',
    ].join('\n'));
    // byte-stable: a second synth of the same app writes the same
    expect(backendsOf(Testing.synth(edge))).toBe(backendsOf(manifests));
  });

  test('3.0: only the routes its controller serves (a class of another controller is not its)', () => {
    const { app, edge, kongNs } = setup(KumaVersion.V3_0);
    new DelegatedGatewayDeployment(edge, 'Kong', { metadata: { name: 'kong' }, namespace: kongNs, flavour: GatewayFlavour.kong(), containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
    const { c, web, api } = shop(app);
    new kplus.Ingress(c, 'Kong', { metadata: { name: 'kong', namespace: 'shop' }, className: 'kong' }).addRule('/', kplus.IngressBackend.fromService(web));
    new kplus.Ingress(c, 'Nginx', { metadata: { name: 'nginx', namespace: 'shop' }, className: 'nginx' }).addRule('/', kplus.IngressBackend.fromService(api));
    expect(backendsOf(synthValid(app))).toBe('refs:\n- kind: MeshService\n  port: 80\n  labels:\n    "kuma.io/display-name": "web"\n    "k8s.kuma.io/namespace": "shop"\n');
  });

  test('opt-outs: deriveReachableBackends: false; KumaControlPlane.use({ restrictOutbound: false }); 2.x by default', () => {
    for (const [version, configure, props] of [
      [KumaVersion.V3_0, undefined, { deriveReachableBackends: false }],
      [KumaVersion.V3_0, (a: App) => KumaControlPlane.use(a, { restrictOutbound: false }), {}],
      [KumaVersion.V2_14, undefined, {}],
    ] as const) {
      const { app, edge, kongNs } = setup(version, configure);
      new DelegatedGatewayDeployment(edge, 'Kong', { metadata: { name: 'kong' }, namespace: kongNs, flavour: GatewayFlavour.kong(), containers: [{ image: 'kong:3.9', portNumber: 8000 }], ...props });
      const { c, web } = shop(app);
      new kplus.Ingress(c, 'Ingress', { metadata: { name: 'shop', namespace: 'shop' }, className: 'kong' }).addRule('/', kplus.IngressBackend.fromService(web));
      expect(backendsOf(synthValid(app))).toBeUndefined();
    }
  });

  test('2.14 by choice: the same list, by labels; 2.8 (no kuma.io/reachable-backends) refuses it', () => {
    const { app, edge, kongNs } = setup(KumaVersion.V2_14);
    new DelegatedGatewayDeployment(edge, 'Kong', {
      metadata: { name: 'kong' },
      namespace: kongNs,
      flavour: GatewayFlavour.kong(),
      deriveReachableBackends: true,
      containers: [{ image: 'kong:3.9', portNumber: 8000 }],
    });
    const { c, web } = shop(app);
    new kplus.Ingress(c, 'Ingress', { metadata: { name: 'shop', namespace: 'shop' }, className: 'kong' }).addRule('/', kplus.IngressBackend.fromService(web));
    expect(backendsOf(synthValid(app))).toBe('refs:\n- kind: MeshService\n  port: 80\n  labels:\n    "kuma.io/display-name": "web"\n    "k8s.kuma.io/namespace": "shop"\n');

    const old = setup(KumaVersion.V2_8);
    expect(() => new DelegatedGatewayDeployment(old.edge, 'Kong', {
      metadata: { name: 'kong' }, namespace: old.kongNs, deriveReachableBackends: true, containers: [{ image: 'kong:3.9', portNumber: 8000 }],
    })).toThrow('edge/Kong/DelegatedGateway: deriveReachableBackends true needs kuma.io/reachable-backends, which Kuma 2.8 does not read (Kuma\'s annotation catalogue has it from 2.9). Remove it, or list reachableServices.');
  });

  test('3.0: a user\'s ref by name is written by its labels (3.0 reads no name/namespace)', () => {
    const { app, edge, kongNs } = setup(KumaVersion.V3_0);
    new DelegatedGatewayDeployment(edge, 'Kong', {
      metadata: { name: 'kong' },
      namespace: kongNs,
      deriveReachableBackends: false,
      containers: [{ image: 'kong:3.9', portNumber: 8000 }],
      reachableBackends: [ReachableBackend.meshServiceNamed('web', 'shop', 80)],
    });
    expect(backendsOf(synthValid(app))).toBe('refs:\n- kind: MeshService\n  port: 80\n  labels:\n    "kuma.io/display-name": "web"\n    "k8s.kuma.io/namespace": "shop"\n');
  });

  test('a route to a port its Service does not have fails synth, saying the route reaches nothing; to its targetPort it is the Service port', () => {
    const { app, edge, kongNs } = setup(KumaVersion.V3_0);
    new DelegatedGatewayDeployment(edge, 'Kong', { metadata: { name: 'kong' }, namespace: kongNs, flavour: GatewayFlavour.kong(), containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
    const { c } = shop(app);
    const route = (port: number) => new ApiObject(c, `Ingress${port}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: `web-${port}`, namespace: 'shop' },
      spec: { ingressClassName: 'kong', rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: port } } } }] } }] },
    });
    // 8080 is web's targetPort: ingress-nginx resolves it to the Service port 80
    route(8080);
    expect(backendsOf(synthValid(app))).toContain('"kuma.io/display-name": "web"');
    route(9999);
    expect(() => app.synth()).toThrow('but the route\'s port 9999 is not a port of Service shop/web (its ports: 80), so the route reaches nothing: use one of its ports in the route:');
  });

  test('a route backend the app does not describe fails synth, unless it is listed', () => {
    const { app, edge, kongNs } = setup(KumaVersion.V3_0);
    const kong = new DelegatedGatewayDeployment(edge, 'Kong', { metadata: { name: 'kong' }, namespace: kongNs, flavour: GatewayFlavour.kong(), containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
    new ApiObject(edge, 'Ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'ext', namespace: 'shop' },
      spec: { ingressClassName: 'kong', rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'legacy', port: { number: 80 } } } }] } }] },
    });
    expect(() => app.synth()).toThrow('[edge/Kong/DelegatedGateway] deriveReachableBackends "legacy" is a backend of a route this gateway serves (its class kong (spec.ingressClassName) is the one Deployment kong/kong (Kong) serves), but Service shop/legacy is not in these files, so what Kuma names it is not known: it cannot be listed in kuma.io/reachable-backends, and the gateway would get no outbound for it. List it in reachableBackends (ReachableBackend.meshServiceNamed(), ReachableBackend.meshAddress()), or set deriveReachableBackends: false where the control plane lets every sidecar reach every backend.');
    kong.gateway.addReachableBackend(ReachableBackend.meshServiceNamed('legacy', 'shop'));
    expect(backendsOf(Testing.synth(edge))).toBe('refs:\n- kind: MeshService\n  labels:\n    "kuma.io/display-name": "legacy"\n    "k8s.kuma.io/namespace": "shop"\n');
  });

  test('a gateway with nothing to derive is warned about; Kong\'s controller is not', () => {
    const { edge, kongNs } = setup(KumaVersion.V3_0);
    const kong = new DelegatedGatewayDeployment(edge, 'Kong', { metadata: { name: 'kong' }, namespace: kongNs, flavour: GatewayFlavour.kong(), containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
    const controller = new DelegatedGatewayDeployment(edge, 'Kic', {
      metadata: { name: 'kic' },
      namespace: kongNs,
      flavour: GatewayFlavour.kongController(),
      podMetadata: { labels: { app: 'kic' } },
      containers: [{ image: 'kong/kubernetes-ingress-controller:3.4', portNumber: 10254 }],
    });
    const manifests = synthValid(edge);
    expect(backendsOf(manifests)).toBeUndefined();
    const warnings = (c: any) => c.node.metadata.filter((m: any) => m.type === 'cdk8s-kuma:warning').map((m: any) => m.data);
    expect(warnings(kong.gateway)).toEqual(['[edge/Kong/DelegatedGateway] derives no reachable backends: no route of the app is served by it and no policy names an upstream. On a control plane that restricts outbound traffic (Kuma 3.0\'s default) it gets no outbound to the mesh. List its backends (reachableBackends), or set deriveReachableBackends: false if the control plane lets every sidecar reach every backend.']);
    expect(warnings(controller.gateway)).toEqual([]);
  });
});
