import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ExternalTrafficPolicy, GatewayProxyService } from '../src';
import { synthValid } from './support/validate';

const chart = () => new Chart(Testing.app(), 'edge', { namespace: 'kong' });

describe('GatewayProxyService', () => {
  test('defaults: a LoadBalancer, no Kuma annotation', () => {
    const c = chart();
    new GatewayProxyService(c, 'Proxy', { metadata: { name: 'kong-proxy' }, selectorLabels: { 'app.kubernetes.io/name': 'gateway' }, ports: [{ port: 80, targetPort: 8000 }] });
    expect(synthValid(c)).toEqual([{
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kong-proxy', namespace: 'kong' },
      spec: { type: 'LoadBalancer', externalIPs: [], selector: { 'app.kubernetes.io/name': 'gateway' }, ports: [{ port: 80, targetPort: 8000 }] },
    }]);
  });

  test('load balancer class, source ranges, traffic policy and annotations', () => {
    const c = chart();
    new GatewayProxyService(c, 'Proxy', {
      metadata: { name: 'kong-proxy', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } },
      loadBalancerClass: 'service.k8s.aws/nlb',
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      ports: [{ port: 80, targetPort: 8000, name: 'http' }, { port: 443, targetPort: 8443, name: 'https' }],
    });
    const [svc] = synthValid(c);
    expect(svc.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' });
    expect(svc.spec).toMatchObject({
      type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb', loadBalancerSourceRanges: ['203.0.113.0/24'], externalTrafficPolicy: 'Local',
    });
  });

  test('a NodePort with a traffic policy', () => {
    const c = chart();
    new GatewayProxyService(c, 'Proxy', { type: kplus.ServiceType.NODE_PORT, externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER, ports: [{ port: 80, nodePort: 30080 }] });
    expect(synthValid(c)[0].spec).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Cluster', ports: [{ port: 80, nodePort: 30080 }] });
  });

  describe('bad input', () => {
    test.each<[string, any, string]>([
      ['loadBalancerClass on a NodePort', { type: kplus.ServiceType.NODE_PORT, loadBalancerClass: 'x' },
        'edge/Proxy: loadBalancerClass "x" is only allowed on a LoadBalancer Service (type is NodePort). Remove loadBalancerClass or use ServiceType.LOAD_BALANCER.'],
      ['source ranges on a ClusterIP', { type: kplus.ServiceType.CLUSTER_IP, loadBalancerSourceRanges: ['10.0.0.0/8'] },
        'edge/Proxy: loadBalancerSourceRanges ["10.0.0.0/8"] are only allowed on a LoadBalancer Service (type is ClusterIP). Remove loadBalancerSourceRanges or use ServiceType.LOAD_BALANCER.'],
      ['traffic policy on a ClusterIP', { type: kplus.ServiceType.CLUSTER_IP, externalTrafficPolicy: ExternalTrafficPolicy.LOCAL },
        'edge/Proxy: externalTrafficPolicy "Local" is only allowed on NodePort and LoadBalancer Services. Remove externalTrafficPolicy or change the type.'],
      ['ExternalName', { type: kplus.ServiceType.EXTERNAL_NAME },
        'edge/Proxy: type "ExternalName" cannot receive traffic for a gateway. Use LOAD_BALANCER, NODE_PORT or CLUSTER_IP.'],
      ['a port', { ports: [{ port: 0 }] }, 'edge/Proxy: ports[0].port 0 is not a port number. Use an integer from 1 to 65535.'],
    ])('%s', (_name, props, message) => {
      expect(() => new GatewayProxyService(chart(), 'Proxy', props)).toThrow(message);
    });

    test('no port at synth', () => {
      const c = chart();
      new GatewayProxyService(c, 'Proxy');
      expect(() => Testing.synth(c)).toThrow('[edge/Proxy] ports [] is empty; the gateway needs at least one port to receive traffic. Pass ports.');
    });
  });
});
