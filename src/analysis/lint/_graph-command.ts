import { analysisOptionsOf, CommandIo, loadInputs, writeReport } from './_inputs';
import { graphText } from '../graph/_graph-formats';
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
  const analysisOptions = analysisOptionsOf(options);
  const findings = MeshAnalysis._analyze(manifests, analysisOptions);
  const g = MeshAnalysis._trafficGraph(manifests, analysisOptions, findings);
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const finish = (text: string): number => {
    const summary = () => `${n(g.nodes.length, 'node')}, ${n(g.edges.length, 'edge')}, ${n(findings.length, 'finding')}; written to ${options.output}`;
    if (!writeReport(io, options.output, text, summary)) return 2;
    return problems.length > 0 ? 2 : 0;
  };
  if (options.format === 'svg') return renderSvg(graphText(g, 'dot')).then(finish);
  return finish(graphText(g, options.format as 'mermaid' | 'dot' | 'json'));
}

/** DOT drawn as SVG by Graphviz compiled to WebAssembly (@viz-js/viz): nothing to install. */
async function renderSvg(dot: string): Promise<string> {
  // loaded only for --format svg: the rest of the command does not pay for it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const viz = await (require('@viz-js/viz') as { instance(): Promise<{ renderString(src: string, options: { format: string }): string }> }).instance();
  return viz.renderString(dot, { format: 'svg' });
}
