/**
 * The one table of what each Kuma version reads and writes (src/kuma/_kuma-capabilities.ts): the README
 * shows it, and its facts agree with Kuma's own CRDs per version.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KumaVersion } from '../src';
import { kumaSchema } from './support/validate';
import { capabilitiesOf, versionTableRows } from '../src/kuma/_kuma-capabilities';

test('the README\'s version table is the capability table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const marker = '<!-- version-table: generated from src/kuma/_kuma-capabilities.ts (versionTableRows); test/kuma-capabilities.test.ts checks it -->\n';
  const start = readme.indexOf(marker);
  expect(start).toBeGreaterThan(0);
  const rows = versionTableRows();
  expect(readme.slice(start + marker.length).split('\n').slice(0, rows.length)).toEqual(rows);
});

describe.each(KumaVersion.supported.map((v) => [v.toString(), v]))('Kuma %s: the table agrees with the CRDs', (name, v) => {
  const caps = capabilitiesOf(v as KumaVersion);
  const spec = (kind: string) => kumaSchema(name as string, `kuma.io/v1alpha1/${kind}`).properties.spec;
  const toRef = () => spec('MeshTimeout').properties.to.items.properties.targetRef;

  test('targetRef forms', () => {
    expect('namespace' in toRef().properties && 'sectionName' in toRef().properties).toBe(caps.meshServiceRefs && !caps.upstreamRefByLabels);
    expect('name' in toRef().properties).toBe(!caps.upstreamRefByLabels);
    expect(spec('MeshTimeout').properties.targetRef.properties.kind.enum.includes('Dataplane')).toBe(caps.dataplaneTargetRef);
  });

  test('MeshTrafficPermission from/rules', () => {
    expect('from' in spec('MeshTrafficPermission').properties).toBe(!caps.permissionRules);
    if (caps.permissionRules) expect('rules' in spec('MeshTrafficPermission').properties).toBe(true);
  });
});
