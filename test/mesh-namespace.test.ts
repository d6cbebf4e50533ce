import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Node } from 'constructs';
import { MeshNamespace, NamespaceInjection, SidecarInjection } from '../src';
import { synthValid } from './support/validate';

describe('MeshNamespace', () => {
  test('kuma.io/sidecar-injection as an annotation, which no supported Kuma reads, is refused', () => {
    expect(() => new MeshNamespace(Testing.chart(), 'Shop', { metadata: { name: 'shop', annotations: { 'kuma.io/sidecar-injection': 'enabled' } } })).toThrow(
      'Shop: metadata.annotations["kuma.io/sidecar-injection"] "enabled" is an annotation, which no supported Kuma version reads (injection has been a label since Kuma 2.2). Remove it: the namespace gets the label from the sidecarInjection prop (SidecarInjection.ENABLED by default).');
  });

  test('defaults: injection enabled, default mesh, both as labels', () => {
    const chart = Testing.chart();
    new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
    const [ns] = synthValid(chart);
    expect(ns).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', labels: { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' } },
      spec: {},
    });
    expect(ns.metadata.annotations).toBeUndefined();
  });

  test('disabled injection and a named mesh', () => {
    const chart = Testing.chart();
    const ns = new MeshNamespace(chart, 'Legacy', { metadata: { name: 'legacy', labels: { team: 'billing' } }, mesh: 'prod', sidecarInjection: SidecarInjection.DISABLED });
    expect(synthValid(chart)[0].metadata.labels).toEqual({ 'team': 'billing', 'kuma.io/sidecar-injection': 'disabled', 'kuma.io/mesh': 'prod' });
    expect(ns.mesh).toBe('prod');
    expect(ns.meshLabel).toBe('prod');
    expect(ns.sidecarInjection).toBe(SidecarInjection.DISABLED);
    expect(ns.injection.injectsAllPods).toBe(false);
    expect(ns.injection.allowsPodOptIn).toBe(true);
    expect(ns.injection.servicesAnnotatedByKuma).toBe(false);
  });

  test('reports what an enabled namespace makes Kuma do', () => {
    const ns = new MeshNamespace(Testing.chart(), 'Shop');
    const i = ns.injection;
    expect([i.known, i.labelValue, i.injectsAllPods, i.allowsPodOptIn, i.servicesAnnotatedByKuma]).toEqual([true, 'enabled', true, true, true]);
  });

  test('the same labels given in metadata are accepted', () => {
    const chart = Testing.chart();
    const ns = new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop', labels: { 'kuma.io/mesh': 'prod', 'kuma.io/sidecar-injection': 'disabled' } } });
    expect(ns.mesh).toBe('prod');
    expect(ns.sidecarInjection).toBe(SidecarInjection.DISABLED);
    expect(synthValid(chart)[0].metadata.labels).toEqual({ 'kuma.io/sidecar-injection': 'disabled', 'kuma.io/mesh': 'prod' });
  });

  test('drops the chart namespace: a Namespace is cluster-scoped', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'apps' });
    new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
    expect(synthValid(chart)[0].metadata.namespace).toBeUndefined();
  });

  test('comes before every object of its chart that lives in it (kubectl applies in order)', () => {
    const chart = new Chart(Testing.app(), 'c');
    new kplus.ConfigMap(chart, 'Before', { metadata: { name: 'before', namespace: 'shop' } });
    new kplus.ConfigMap(chart, 'Elsewhere', { metadata: { name: 'elsewhere', namespace: 'other' } });
    new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
    new kplus.ConfigMap(chart, 'After', { metadata: { name: 'after', namespace: 'shop' } });
    const order = synthValid(chart).map((m) => `${m.kind}/${m.metadata.name}`);
    expect([...order].sort()).toEqual(['ConfigMap/after', 'ConfigMap/before', 'ConfigMap/elsewhere', 'Namespace/shop']);
    expect(order.indexOf('Namespace/shop')).toBeLessThan(order.indexOf('ConfigMap/before'));
    expect(order.indexOf('Namespace/shop')).toBeLessThan(order.indexOf('ConfigMap/after'));
  });

  test('generated names are valid namespace names', () => {
    const chart = Testing.chart();
    const ns = new MeshNamespace(chart, 'Shop');
    expect(ns.name).toMatch(/^test-shop-c8[0-9a-f]{6}$/);
    synthValid(chart);
  });

  test('is a cdk8s-plus Namespace with a KubeNamespace default child', () => {
    const ns = new MeshNamespace(Testing.chart(), 'Shop');
    expect(ns).toBeInstanceOf(kplus.Namespace);
    expect((Node.of(ns).defaultChild as ApiObject).kind).toBe('Namespace');
    expect(ns.toNamespaceSelectorConfig().names).toEqual([ns.name]);
  });

  describe('bad input', () => {
    test('a mesh name Kuma rejects', () => {
      expect(() => new MeshNamespace(Testing.chart(), 'Shop', { metadata: { name: 'shop' }, mesh: 'Prod_Mesh' })).toThrow(
        'test/Shop: mesh "Prod_Mesh" is not a mesh name Kuma accepts (a lowercase RFC 1123 subdomain: lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit; at most 63 characters because it is the value of the kuma.io/mesh label). Use the name of an existing Mesh, such as "default" or "prod-mesh".');
    });

    test('a mesh name over 63 characters', () => {
      expect(() => new MeshNamespace(Testing.chart(), 'Shop', { mesh: 'm'.repeat(64) })).toThrow(/^test\/Shop: mesh "m{64}" is not a mesh name Kuma accepts/);
    });

    test('a namespace name that is not DNS-1123', () => {
      expect(() => new MeshNamespace(Testing.chart(), 'Shop', { metadata: { name: 'Shop.Front' } })).toThrow(
        'test/Shop: metadata.name "Shop.Front" is not a valid RFC 1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters). Use a name such as "shop-front".');
    });

    test('a label that contradicts a prop', () => {
      expect(() => new MeshNamespace(Testing.chart(), 'Shop', { metadata: { labels: { 'kuma.io/mesh': 'prod' } }, mesh: 'dev' })).toThrow(
        'test/Shop: metadata.labels["kuma.io/mesh"] "prod" contradicts the mesh prop "dev". Remove the label from metadata.labels or make it equal to mesh.');
      expect(() => new MeshNamespace(Testing.chart(), 'Shop2', { metadata: { labels: { 'kuma.io/sidecar-injection': 'disabled' } }, sidecarInjection: SidecarInjection.ENABLED })).toThrow(
        'test/Shop2: metadata.labels["kuma.io/sidecar-injection"] "disabled" contradicts the sidecarInjection prop "enabled". Remove the label from metadata.labels or make it equal to sidecarInjection.');
    });

    test('an injection label value other than enabled/disabled', () => {
      expect(() => new MeshNamespace(Testing.chart(), 'Shop', { metadata: { labels: { 'kuma.io/sidecar-injection': 'yes' } } })).toThrow(
        'test/Shop: metadata.labels["kuma.io/sidecar-injection"] "yes" is not one of the values this library writes (only "enabled" is matched by both of Kuma\'s injector webhooks). Use the sidecarInjection prop: SidecarInjection.ENABLED or SidecarInjection.DISABLED.');
    });

    test('a sidecarInjection value that is not in the enum (JavaScript callers)', () => {
      expect(() => new MeshNamespace(Testing.chart(), 'Shop', { sidecarInjection: 'on' as SidecarInjection })).toThrow(
        'test/Shop: sidecarInjection "on" is not a SidecarInjection value. Use SidecarInjection.ENABLED or SidecarInjection.DISABLED.');
    });

    test('an explicit metadata.namespace', () => {
      expect(() => new MeshNamespace(Testing.chart(), 'Shop', { metadata: { namespace: 'apps' } })).toThrow(
        'test/Shop: metadata.namespace "apps" is set, but a Namespace is cluster-scoped. Remove metadata.namespace.');
    });

    test('a Kuma label changed after construction fails at synth', () => {
      const chart = Testing.chart();
      const ns = new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
      ns.metadata.addLabel('kuma.io/mesh', 'other');
      expect(() => Testing.synth(chart)).toThrow(
        '[test/Shop] metadata.labels["kuma.io/mesh"] "other" was changed after construction, but the namespace was declared with "default". Set it through the mesh prop instead.');
    });
  });
});

describe('MeshNamespace importers', () => {
  test('fromNamespaceName: labels unknown', () => {
    const ns = MeshNamespace.fromNamespaceName(Testing.chart(), 'Kong', 'kong');
    expect(ns.name).toBe('kong');
    expect(ns.meshLabel).toBeUndefined();
    expect([ns.injection.known, ns.injection.injectsAllPods, ns.injection.allowsPodOptIn, ns.injection.servicesAnnotatedByKuma])
      .toEqual([false, false, false, false]);
  });

  test('fromNamespaceAttributes: records the injection label', () => {
    const chart = Testing.chart();
    const enabled = MeshNamespace.fromNamespaceAttributes(chart, 'A', { name: 'a', sidecarInjectionLabel: 'enabled', meshLabel: 'prod' });
    expect([enabled.injection.known, enabled.injection.labelValue, enabled.meshLabel]).toEqual([true, 'enabled', 'prod']);
    expect(enabled.injection.injectsAllPods).toBe(true);

    const none = MeshNamespace.fromNamespaceAttributes(chart, 'B', { name: 'b' });
    expect([none.injection.known, none.injection.labelValue, none.injection.allowsPodOptIn, none.injection.servicesAnnotatedByKuma])
      .toEqual([true, undefined, false, false]);
  });

  test('fromNamespaceAttributes: predicts Kuma\'s webhooks for every label value (Kuma cp-webhooks-and-secrets.yaml)', () => {
    const chart = Testing.chart();
    const predict = (value: string) => {
      const i = MeshNamespace.fromNamespaceAttributes(chart, value, { name: 'ns', sidecarInjectionLabel: value }).injection;
      return [i.injectsAllPods, i.allowsPodOptIn, i.servicesAnnotatedByKuma];
    };
    expect(predict('enabled')).toEqual([true, true, true]);
    expect(predict('true')).toEqual([true, true, true]);
    expect(predict('yes')).toEqual([false, true, true]);
    expect(predict('disabled')).toEqual([false, true, false]);
    expect(predict('false')).toEqual([false, true, false]);
    expect(predict('no')).toEqual([false, true, false]);
  });

  test('importers synthesize nothing', () => {
    const chart = Testing.chart();
    MeshNamespace.fromNamespaceName(chart, 'Kong', 'kong');
    MeshNamespace.fromNamespaceAttributes(chart, 'Shop', { name: 'shop', sidecarInjectionLabel: 'enabled' });
    expect(synthValid(chart)).toEqual([]);
  });

  test('bad input', () => {
    expect(() => MeshNamespace.fromNamespaceAttributes(Testing.chart(), 'X', { name: 'x', sidecarInjectionLabel: 'on' })).toThrow(
      'test/X: sidecarInjectionLabel "on" is not a kuma.io/sidecar-injection value Kuma parses (enabled, disabled, true, false; yes and no are deprecated), so its injector would fail for every pod of the namespace. Use "enabled" or "disabled".');
    expect(() => MeshNamespace.fromNamespaceAttributes(Testing.chart(), 'X', { name: 'x', meshLabel: 'A' })).toThrow(/^test\/X: meshLabel "A" is not a mesh name Kuma accepts/);
    expect(() => MeshNamespace.fromNamespaceName(Testing.chart(), 'X', 'under_score')).toThrow(/^test\/X: name "under_score" is not a valid RFC 1123 label/);
  });
});

describe('NamespaceInjection', () => {
  test('labelled() refuses a value Kuma cannot parse', () => {
    expect(() => NamespaceInjection.labelled('maybe')).toThrow(
      'NamespaceInjection.labelled(): value "maybe" is not a kuma.io/sidecar-injection value Kuma parses (enabled, disabled, true, false; yes and no are deprecated), so its injector would fail for every pod of the namespace. Use "enabled" or "disabled".');
  });

  test('unlabelled() and unknown()', () => {
    expect(NamespaceInjection.unlabelled().known).toBe(true);
    expect(NamespaceInjection.unknown().known).toBe(false);
  });
});
