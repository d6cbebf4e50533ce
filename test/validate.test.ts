import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { KumaVersion } from '../src';
import { CRD_VERSIONS, prunedFields, registerCrdSchema, synthValid, toAjvSchema, validateManifests } from './support/validate';
import * as schemaFile from '../src/imports/kuma-crd-schemas.json';

const meshService = (spec: any, metadata: any = { name: 'web', namespace: 'shop' }) =>
  ({ apiVersion: 'kuma.io/v1alpha1', kind: 'MeshService', metadata, spec });

describe('validateManifests', () => {
  test('accepts a valid Kuma object and a valid built-in object', () => {
    expect(validateManifests([
      meshService({ ports: [{ port: 80, targetPort: 8080, appProtocol: 'http' }], selector: { dataplaneTags: { app: 'web' } } }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } },
    ])).toEqual([]);
  });

  test('reports a field the CRD does not declare as one the API server would prune', () => {
    const [finding] = validateManifests([meshService({ ports: [{ port: 80 }], colour: 'blue' })]);
    expect(finding.object).toBe('kuma.io/v1alpha1/MeshService shop/web');
    expect(finding.errors).toEqual(['spec.colour is not declared by the Kuma 2.14 CRD of MeshService: the API server would prune it']);
  });

  test('validates against the CRDs of the version asked for (3.0: to[].targetRef by name is pruned)', () => {
    const timeout = {
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshTimeout',
      metadata: { name: 't', namespace: 'kong' },
      spec: {
        targetRef: { kind: 'Dataplane', labels: { app: 'kong' } },
        to: [{ targetRef: { kind: 'MeshService', name: 'web', namespace: 'shop', sectionName: '80' }, default: { idleTimeout: '1m' } }],
      },
    };
    expect(validateManifests([timeout], KumaVersion.V2_14)).toEqual([]);
    expect(validateManifests([timeout], KumaVersion.V3_0)[0].errors).toEqual([
      'spec.to[0].targetRef.name is not declared by the Kuma 3.0 CRD of MeshTimeout: the API server would prune it',
      'spec.to[0].targetRef.namespace is not declared by the Kuma 3.0 CRD of MeshTimeout: the API server would prune it',
    ]);
  });

  test('reports a Kuma kind the target version does not serve', () => {
    const mzs = { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshMultiZoneService', metadata: { name: 'm', namespace: 'kuma-system' }, spec: { selector: { meshService: { matchLabels: { a: 'b' } } }, ports: [{ port: 80 }] } };
    expect(validateManifests([mzs], '2.14')).toEqual([]);
    expect(validateManifests([mzs], '2.6')[0].errors).toEqual(['kuma.io/v1alpha1/MeshMultiZoneService is not served by the CRDs of Kuma 2.6']);
    expect(() => validateManifests([mzs], '1.8')).toThrow('no Kuma CRDs for version 1.8');
  });

  test('prunedFields follows properties, additionalProperties and preserve-unknown-fields', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
            map: { type: 'object', additionalProperties: { type: 'object', properties: { b: { type: 'string' } } } },
            open: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
      },
    };
    expect(prunedFields({
      apiVersion: 'x',
      kind: 'y',
      metadata: { anything: 1 },
      spec: { list: [{ a: '1', z: 2 }], map: { k: { b: '1', c: 2 } }, open: { deep: { x: 1 } }, extra: true },
      status: {},
    }, schema)).toEqual(['spec.list[0].z', 'spec.map.k.c', 'spec.extra', 'status']);
  });

  test('rejects a Kuma enum value the CRD does not list', () => {
    const [finding] = validateManifests([{
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshTrafficPermission',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { targetRef: { kind: 'Pod' } },
    }]);
    expect(finding.errors.join('\n')).toContain('/spec/targetRef/kind must be equal to one of the allowed values');
  });

  test('accepts int-or-string fields as integer or string, and nothing else', () => {
    expect(validateManifests([meshService({ ports: [{ port: 80, targetPort: 'http' }] })])).toEqual([]);
    expect(validateManifests([meshService({ ports: [{ port: 80, targetPort: 8080 }] })])).toEqual([]);
    const [finding] = validateManifests([meshService({ ports: [{ port: 80, targetPort: true }] })]);
    expect(finding.errors.join('\n')).toContain('/spec/ports/0/targetPort');
  });

  test('keeps preserve-unknown-fields objects open (Mesh spec)', () => {
    expect(validateManifests([{ apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default' }, spec: { anything: { goes: 1 } } }])).toEqual([]);
  });

  test('rejects a namespace on a cluster-scoped Kuma kind and on a Namespace', () => {
    const findings = validateManifests([
      { apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default', namespace: 'shop' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'shop' } },
    ]);
    expect(findings.map((f) => f.errors)).toEqual([
      ['metadata.namespace "shop" is set on a cluster-scoped kind'],
      ['metadata.namespace "shop" is set on a cluster-scoped kind'],
    ]);
  });

  test('rejects a built-in object that breaks the Kubernetes schema', () => {
    const [finding] = validateManifests([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 'eighty' }] } }]);
    expect(finding.errors).toEqual(['data/spec/ports/0/port must be integer']);
  });

  test('applies the ObjectMeta syntax rules', () => {
    const [finding] = validateManifests([{
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: '1web', namespace: 'Shop', labels: { 'kuma.io/mesh': 'not valid!', 'a/b/c': 'x' }, annotations: { ok: 1 } },
      spec: { ports: [{ port: 80 }] },
    }]);
    expect(finding.errors).toEqual([
      'data/metadata/annotations/ok must be string',
      'metadata.name "1web" is not an RFC 1035 label',
      'metadata.namespace "Shop" is not an RFC 1123 label',
      'metadata.labels["kuma.io/mesh"] value "not valid!" is not a valid label value',
      'metadata.labels key "a/b/c" has more than one "/"',
      'metadata.annotations["ok"] value 1 is not a string',
    ]);
  });

  test('reports a kind it has no schema for, until one is registered', () => {
    const obj = { apiVersion: 'configuration.konghq.com/v1alpha1', kind: 'IngressClassParameters', metadata: { name: 'kong', namespace: 'kong' }, spec: { serviceUpstream: true } };
    expect(validateManifests([obj])[0].errors).toEqual([
      'unknown kind configuration.konghq.com/v1alpha1/IngressClassParameters: neither a built-in kind of kubernetes-models nor a Kuma CRD; register its schema with registerCrdSchema()',
    ]);
    registerCrdSchema('configuration.konghq.com/v1alpha1', 'IngressClassParameters', {
      type: 'object',
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: { type: 'object', properties: { serviceUpstream: { type: 'boolean' } } } },
    });
    expect(validateManifests([obj])).toEqual([]);
  });
});

describe('synthValid', () => {
  test('returns the manifests of a valid chart', () => {
    const chart = Testing.chart();
    new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop' } });
    expect(synthValid(chart).map((m) => m.kind)).toEqual(['Namespace']);
  });

  test('throws naming every invalid object', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'bad', { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshTimeout', metadata: { name: 'bad' }, spec: { to: 'everything' } });
    expect(() => synthValid(chart)).toThrow(/invalid objects in the synthesized output:\n {2}kuma.io\/v1alpha1\/MeshTimeout bad:\n {4}\/spec\/to must be array/);
  });

  test('validates each chart against the CRDs of the version it targets', () => {
    const app = Testing.app();
    const older = new Chart(app, 'older');
    KumaVersion.use(older, KumaVersion.V2_8);
    new ApiObject(older, 'mzs', { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshMultiZoneService', metadata: { name: 'm' }, spec: { selector: { meshService: { matchLabels: { a: 'b' } } }, ports: [{ port: 80 }] } });
    expect(() => synthValid(app)).toThrow('kuma.io/v1alpha1/MeshMultiZoneService is not served by the CRDs of Kuma 2.8');
  });

  test('has the CRDs of every supported version', () => {
    expect(CRD_VERSIONS).toEqual(KumaVersion.supported.map(String));
  });

  test('validates every chart of an app', () => {
    const app = Testing.app();
    new ApiObject(new Chart(app, 'one'), 'x', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } });
    expect(() => synthValid(app)).toThrow('unknown kind example.com/v1/Widget');
  });
});

describe('generated CRD schemas', () => {
  test('hold every Kuma CRD with its scope', () => {
    const kinds = Object.values((schemaFile as any).kinds) as any[];
    expect(kinds).toHaveLength(54);
    expect(kinds.find((k) => k.kind === 'Mesh').scope).toBe('Cluster');
    expect(kinds.find((k) => k.kind === 'MeshTrafficPermission').scope).toBe('Namespaced');
  });

  test('toAjvSchema closes structural objects and opens preserve-unknown ones', () => {
    expect(toAjvSchema({ type: 'object', properties: { a: { type: 'string', nullable: true } } }))
      .toEqual({ type: 'object', properties: { a: { type: ['string', 'null'] } }, additionalProperties: false });
    expect(toAjvSchema({ 'type': 'object', 'properties': { a: { type: 'string' } }, 'x-kubernetes-preserve-unknown-fields': true }))
      .toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });
});
