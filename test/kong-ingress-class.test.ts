import { Chart, Testing } from 'cdk8s';
import { KongIngressClass } from '../src';
import { registerKongCrds, synthValid } from './support/validate';

registerKongCrds();

describe('KongIngressClass', () => {
  test('an IngressClass whose parameters set serviceUpstream (cluster-scoped class, namespaced parameters)', () => {
    const chart = new Chart(Testing.app(), 'edge', { namespace: 'kong' });
    const cls = new KongIngressClass(chart, 'Class', { parametersNamespace: 'kong' });
    expect(cls.name).toBe('kong');
    expect(synthValid(chart)).toEqual([
      {
        apiVersion: 'configuration.konghq.com/v1alpha1',
        kind: 'IngressClassParameters',
        metadata: { name: 'kong-params', namespace: 'kong' },
        spec: { serviceUpstream: true },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name: 'kong' },
        spec: {
          controller: 'ingress-controllers.konghq.com/kong',
          parameters: { apiGroup: 'configuration.konghq.com', kind: 'IngressClassParameters', name: 'kong-params', namespace: 'kong', scope: 'Namespace' },
        },
      },
    ]);
  });

  test('custom names and the default-class annotation', () => {
    const chart = new Chart(Testing.app(), 'edge');
    new KongIngressClass(chart, 'Class', { name: 'kong-mesh', parametersName: 'mesh-upstream', parametersNamespace: 'kong', isDefaultClass: true, controller: 'ingress-controllers.konghq.com/kong-mesh' });
    const [params, cls] = synthValid(chart);
    expect(params.metadata).toEqual({ name: 'mesh-upstream', namespace: 'kong' });
    expect(cls.metadata).toEqual({ name: 'kong-mesh', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } });
    expect(cls.spec.controller).toBe('ingress-controllers.konghq.com/kong-mesh');
  });

  test('bad input', () => {
    expect(() => new KongIngressClass(new Chart(Testing.app(), 'e'), 'C', { parametersNamespace: 'Kong' })).toThrow(/^e\/C: parametersNamespace "Kong" is not a valid RFC 1123 label/);
    expect(() => new KongIngressClass(new Chart(Testing.app(), 'e'), 'C', { name: 'Kong_Class', parametersNamespace: 'kong' })).toThrow(/^e\/C: name "Kong_Class" is not a valid object name/);
  });
});
