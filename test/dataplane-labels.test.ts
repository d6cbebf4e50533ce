/*
 * The labels of a predicted Dataplane where Kuma's converter fixtures do not reach: a control plane
 * in zone mode (a cluster's, standalone or federated; the fixtures run with no mode) and global mode.
 * kumahq/kuma pkg/core/resources/labels/compute.go `Compute` (v2.14.3; 3.0 development commit 348b6528bc).
 */
import { dataplaneLabels } from '../src/model/_dataplane-labels';

const pod = {
  metadata: { name: 'web-7d4b9c-x2k8p', namespace: 'shop', labels: { 'app': 'web', 'kuma.io/proxy-type': 'stale' } },
  spec: { serviceAccountName: 'web' },
};

test('2.14 in zone mode: origin zone, the zone, env kubernetes, the namespace, proxy-type sidecar, ServiceAccount and workload', () => {
  expect(dataplaneLabels(pod, { style: 'proxy-type', name: pod.metadata.name, mesh: 'default', mode: 'zone', zone: 'zone-a' })).toEqual({
    'app': 'web',
    'kuma.io/mesh': 'default',
    'kuma.io/origin': 'zone',
    'kuma.io/zone': 'zone-a',
    'kuma.io/env': 'kubernetes',
    'k8s.kuma.io/namespace': 'shop',
    'kuma.io/proxy-type': 'sidecar',
    'k8s.kuma.io/service-account': 'web',
    'kuma.io/workload': 'web',
  });
});

test('3.0 in zone mode: display-name is the pod\'s name, no proxy-type; a workload label names the workload', () => {
  expect(dataplaneLabels(pod, { style: 'display-name', name: pod.metadata.name, mesh: 'payments', mode: 'zone', zone: 'zone-a', workloadLabels: ['app'] })).toEqual({
    'app': 'web',
    'kuma.io/display-name': 'web-7d4b9c-x2k8p',
    'kuma.io/mesh': 'payments',
    'kuma.io/origin': 'zone',
    'kuma.io/zone': 'zone-a',
    'kuma.io/env': 'kubernetes',
    'k8s.kuma.io/namespace': 'shop',
    'k8s.kuma.io/service-account': 'web',
    'kuma.io/workload': 'web',
  });
});

test('a pod label kuma.io/origin: global keeps a 2.14 zone control plane from setting the zone and, not local, the namespace', () => {
  const global = { ...pod, metadata: { ...pod.metadata, labels: { 'app': 'web', 'kuma.io/origin': 'global' } } };
  const labels = dataplaneLabels(global, { style: 'proxy-type', name: 'web', mesh: 'default', mode: 'zone', zone: 'zone-a' });
  expect(labels['kuma.io/zone']).toBeUndefined();
  expect(labels['k8s.kuma.io/namespace']).toBeUndefined();
});
