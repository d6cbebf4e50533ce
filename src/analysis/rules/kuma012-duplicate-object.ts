import { Chart } from 'cdk8s';
import { describe, Manifest, ManifestIndex } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { Report, RuleDefinition } from './rule';

/*
 * KUMA012: objects with the same identity. In an app, only within a chart: the charts of one app
 * may go to different clusters (one file per chart, e.g. a zone each).
 */

export const KUMA012: RuleDefinition = {
  id: 'KUMA012',
  name: 'duplicate-object',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'Two objects of one chart (or of the linted files) share API group, kind, namespace and name: one silently replaces the other when applied.',
  rationale: 'A cluster holds one object per API group, kind, namespace and name, so of two such documents only the one applied last survives (`kubectl apply`), and whatever only the other carried, such as an injection label, silently disappears; kustomize refuses the set outright.',
  restsOn: 'Compares all objects of the linted files together (in an app, the objects of each chart, as charts may go to different clusters) by API group without version, kind, namespace and name. Runs on every `--kuma-version`, but like every rule only on a set with something of Kuma in it.',
  fix: 'Keep one copy or rename one of them; files meant for different clusters belong in separate folders, each linted on its own.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  ],
  check: (ctx, report) => duplicates(ctx.index, report),
};

function duplicates(index: ManifestIndex, report: Report): void {
  const seen = new Map<string, Manifest>();
  const chartPaths = new Map<Chart, string>();
  const chartPath = (c: Chart) => {
    let p = chartPaths.get(c);
    if (p === undefined) chartPaths.set(c, p = c.node.path);
    return p;
  };
  for (const m of index.manifests) {
    const o = m.obj;
    const name = o?.metadata?.name;
    if (typeof o?.kind !== 'string' || typeof name !== 'string') continue;
    const api = String(o.apiVersion ?? '');
    const group = api.includes('/') ? api.slice(0, api.indexOf('/')) : '';
    const chart = m.construct === undefined ? '' : chartPath(Chart.of(m.construct));
    const key = `${chart}\0${group}\0${o.kind}\0${o.metadata?.namespace ?? ''}\0${name}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, m);
      continue;
    }
    report(m,
      `has the same API group, kind, namespace and name as ${first.source ?? first.construct?.node.path ?? describe(first.obj)}: kubectl apply keeps only the last one written, kustomize refuses the set and Argo CD reports a RepeatedResourceWarning`,
      {
        api: 'Give one of them another name, or declare the object once and import it where it is needed (for example MeshNamespace.fromNamespaceName()).',
        cli: 'Give one of them another name, or keep one copy (files for different clusters belong in different folders, each linted on its own).',
      });
  }
}
