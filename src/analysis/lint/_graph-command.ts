import * as fs from 'fs';
import { CommandIo, loadInputs } from './_inputs';
import { capabilitiesOf } from '../../kuma/_kuma-capabilities';
import { ManifestIndex } from '../../model/_manifests';
import { toDot, toJson, toMermaid } from '../graph/_graph-formats';
import { trafficGraph } from '../graph/_traffic-graph';
import { MeshAnalysis } from '../mesh-analysis';

/*
 * `cdk8s-kuma graph`: the traffic graph of a set (../graph/) with the lint's findings on it, read
 * with the lint's inputs, flags and config file (_inputs.ts). The exit status says whether the
 * graph was drawn, not whether it has findings: `cdk8s-kuma lint` is the gate.
 */

/** The `graph` command: returns the exit status (a promise for --format svg, which loads Graphviz). */
export function graph(argv: string[], io: CommandIo): number | Promise<number> {
  const loaded = loadInputs(argv, 'graph', io);
  if (typeof loaded === 'number') return loaded;
  const { options, input, problems } = loaded;
  const manifests = input.located.manifests;
  const findings = MeshAnalysis._analyze(manifests, {
    version: options.version,
    meshServicesMode: options.mode,
    ignore: options.ignore,
    distribution: options.distribution,
    controlPlaneNamespace: options.controlPlaneNamespace,
    namespaceLabels: options.namespaceLabels,
    cni: options.cni,
    severities: options.severities,
    exemptions: options.exemptions,
  });
  const declared = new Map(Object.entries(options.namespaceLabels));
  const g = trafficGraph(new ManifestIndex(manifests, declared), capabilitiesOf(options.version), findings);
  const finish = (text: string): number => {
    if (options.output === undefined) {
      io.stdout.write(text);
    } else {
      try {
        fs.writeFileSync(options.output, text);
      } catch (e: any) {
        io.stderr.write(`cdk8s-kuma: --output ${options.output}: cannot be written (${e.code ?? e.message})\n`);
        return 2;
      }
      const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
      io.stderr.write(`cdk8s-kuma: ${n(g.nodes.length, 'node')}, ${n(g.edges.length, 'edge')}, ${n(findings.length, 'finding')}; written to ${options.output}\n`);
    }
    return problems.length > 0 ? 2 : 0;
  };
  switch (options.format) {
    case 'dot':
      return finish(toDot(g));
    case 'json':
      return finish(toJson(g));
    case 'svg':
      return renderSvg(toDot(g)).then(finish);
    default:
      return finish(toMermaid(g));
  }
}

/** DOT drawn as SVG by Graphviz compiled to WebAssembly (@viz-js/viz): nothing to install. */
async function renderSvg(dot: string): Promise<string> {
  // loaded only for --format svg: the rest of the command does not pay for it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const viz = await (require('@viz-js/viz') as { instance(): Promise<{ renderString(src: string, options: { format: string }): string }> }).instance();
  return viz.renderString(dot, { format: 'svg' });
}
