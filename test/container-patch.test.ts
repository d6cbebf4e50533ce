import { Chart, Testing } from 'cdk8s';
import { ContainerPatch, ContainerPatchOperation } from '../src';
import { synthValid } from './support/validate';

describe('ContainerPatch', () => {
  test('every operation, values as JSON strings, always in the control plane namespace', () => {
    const chart = new Chart(Testing.app(), 'mesh', { namespace: 'apps' });
    const patch = new ContainerPatch(chart, 'Patch', {
      metadata: { name: 'gateway-sidecar' },
      sidecarPatch: [
        ContainerPatchOperation.add('/resources/limits', { memory: '512Mi' }),
        ContainerPatchOperation.replace('/securityContext/runAsUser', 5679),
      ],
    });
    patch.addInitPatch(ContainerPatchOperation.remove('/securityContext/capabilities'));
    patch.addSidecarPatch(ContainerPatchOperation.copy('/env/0', '/env/-'), ContainerPatchOperation.move('/args/0', '/args/1'));
    expect([patch.name, patch.namespace]).toEqual(['gateway-sidecar', 'kuma-system']);
    expect(synthValid(chart)).toEqual([{
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'ContainerPatch',
      metadata: { name: 'gateway-sidecar', namespace: 'kuma-system' },
      spec: {
        sidecarPatch: [
          { op: 'add', path: '/resources/limits', value: '{"memory":"512Mi"}' },
          { op: 'replace', path: '/securityContext/runAsUser', value: '5679' },
          { op: 'copy', from: '/env/0', path: '/env/-' },
          { op: 'move', from: '/args/0', path: '/args/1' },
        ],
        initPatch: [{ op: 'remove', path: '/securityContext/capabilities' }],
      },
    }]);
  });

  test('another control plane namespace', () => {
    const chart = new Chart(Testing.app(), 'mesh');
    new ContainerPatch(chart, 'Patch', { namespace: 'kong-mesh-system', initPatch: [ContainerPatchOperation.remove('/resources')] });
    expect(synthValid(chart)[0].metadata.namespace).toBe('kong-mesh-system');
  });

  test('fromContainerPatchName', () => {
    const chart = new Chart(Testing.app(), 'mesh');
    const p = ContainerPatch.fromContainerPatchName(chart, 'P', 'debug');
    expect([p.name, p.namespace]).toEqual(['debug', 'kuma-system']);
    expect(() => ContainerPatch.fromContainerPatchName(chart, 'Q', 'Debug')).toThrow(/^mesh\/Q: name "Debug" is not a valid object name/);
  });

  describe('bad input', () => {
    test('a path that is not a JSON pointer', () => {
      const chart = new Chart(Testing.app(), 'mesh');
      new ContainerPatch(chart, 'Patch', { sidecarPatch: [ContainerPatchOperation.remove('resources')] });
      expect(() => Testing.synth(chart)).toThrow('mesh/Patch: sidecarPatch[0].path "resources" is not a JSON pointer. Start it with "/", for example "/securityContext/runAsUser".');
    });

    test('a value JSON cannot write', () => {
      const chart = new Chart(Testing.app(), 'mesh');
      new ContainerPatch(chart, 'Patch', { sidecarPatch: [ContainerPatchOperation.add('/x', () => 1)] });
      expect(() => Testing.synth(chart)).toThrow('mesh/Patch: sidecarPatch[0].value "() => 1" cannot be written as JSON. Use a string, number, boolean, array or object.');
    });

    test('no operation at all', () => {
      const chart = new Chart(Testing.app(), 'mesh');
      new ContainerPatch(chart, 'Patch');
      expect(() => Testing.synth(chart)).toThrow('[mesh/Patch] sidecarPatch [] and initPatch are both empty, so the patch changes nothing. Add an operation or remove the ContainerPatch.');
    });

    test('metadata.namespace elsewhere', () => {
      expect(() => new ContainerPatch(new Chart(Testing.app(), 'mesh'), 'Patch', { metadata: { namespace: 'kong' } })).toThrow(
        'mesh/Patch: metadata.namespace "kong" is not where Kuma looks for container patches. Use the namespace prop (the control plane namespace) instead.');
    });
  });
});
