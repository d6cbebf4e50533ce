/*
 * The labels of a predicted Dataplane where Kuma's converter fixtures do not reach: a control plane
 * in zone mode (a cluster's, standalone or federated; the fixtures run with no mode) and global mode.
 * kumahq/kuma pkg/core/resources/labels/compute.go `Compute` (v2.14.3; 3.0 development commit 348b6528bc).
 */
import { capabilitiesOf } from '../src/kuma/_kuma-capabilities';
import { KumaVersion } from '../src/kuma/kuma-version';
import { dataplaneLabels } from '../src/model/_dataplane-labels';

const V2_14 = capabilitiesOf(KumaVersion.V2_14).dataplaneLabels!;
const V3_0 = capabilitiesOf(KumaVersion.V3_0).dataplaneLabels!;

const pod = {
  metadata: { name: 'web-7d4b9c-x2k8p', namespace: 'shop', labels: { 'app': 'web', 'kuma.io/proxy-type': 'stale' } },
  spec: { serviceAccountName: 'web' },
};

test('2.14 in zone mode: origin zone, the zone, env kubernetes, the namespace, proxy-type sidecar, ServiceAccount and workload', () => {
  expect(dataplaneLabels(pod, { rules: V2_14, name: pod.metadata.name, mesh: 'default', mode: 'zone', zone: 'zone-a' })).toEqual({
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
  expect(dataplaneLabels(pod, { rules: V3_0, name: pod.metadata.name, mesh: 'payments', mode: 'zone', zone: 'zone-a', workloadLabels: ['app'] })).toEqual({
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
  const labels = dataplaneLabels(global, { rules: V2_14, name: 'web', mesh: 'default', mode: 'zone', zone: 'zone-a' });
  expect(labels['kuma.io/zone']).toBeUndefined();
  expect(labels['k8s.kuma.io/namespace']).toBeUndefined();
});

// The versions before 2.14 compute fewer labels (kumahq/kuma pkg/core/resources/model/resource.go
// `ComputeLabels` and pod_converter.go `PodToDataplane` at each tag).
test.each([
  // 2.9.0: computed from no labels (the pod's are not copied), no proxy-type
  [KumaVersion.V2_9, { 'kuma.io/mesh': 'default', 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-a', 'kuma.io/env': 'kubernetes', 'k8s.kuma.io/namespace': 'shop' }],
  // 2.10.0: the pod's labels (mergeLabels) and kuma.io/proxy-type
  [KumaVersion.V2_10, { 'app': 'web', 'kuma.io/mesh': 'default', 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-a', 'kuma.io/env': 'kubernetes', 'k8s.kuma.io/namespace': 'shop', 'kuma.io/proxy-type': 'sidecar' }],
  // 2.12.0: and the ServiceAccount (WithServiceAccount)
  [KumaVersion.V2_12, {
    'app': 'web',
    'kuma.io/mesh': 'default',
    'kuma.io/origin': 'zone',
    'kuma.io/zone': 'zone-a',
    'kuma.io/env': 'kubernetes',
    'k8s.kuma.io/namespace': 'shop',
    'kuma.io/proxy-type': 'sidecar',
    'k8s.kuma.io/service-account': 'web',
  }],
  // v2.13.0: and the workload (WithWorkload)
  [KumaVersion.V2_13, {
    'app': 'web',
    'kuma.io/mesh': 'default',
    'kuma.io/origin': 'zone',
    'kuma.io/zone': 'zone-a',
    'kuma.io/env': 'kubernetes',
    'k8s.kuma.io/namespace': 'shop',
    'kuma.io/proxy-type': 'sidecar',
    'k8s.kuma.io/service-account': 'web',
    'kuma.io/workload': 'web',
  }],
])('%s in zone mode computes its own set', (version, expected) => {
  const rules = capabilitiesOf(version).dataplaneLabels!;
  expect(dataplaneLabels(pod, { rules, name: pod.metadata.name, mesh: 'default', mode: 'zone', zone: 'zone-a' })).toEqual(expected);
});

test('before 2.9 the converter computes no labels: the capability says so', () => {
  for (const v of [KumaVersion.V2_6, KumaVersion.V2_7, KumaVersion.V2_8]) expect(capabilitiesOf(v).dataplaneLabels).toBeUndefined();
});
