import { GraphEdge, GraphFinding, GraphNode, TrafficGraph } from './_traffic-graph';

/*
 * A traffic graph (./_traffic-graph.ts) as Mermaid (GitHub and GitLab render it in markdown), as
 * Graphviz DOT, and as JSON. Findings are drawn on their node or edge, labelled with their rule id;
 * a node or edge with an error is red, with only warnings orange. Same graph, same bytes.
 */

const SHAPES: Record<GraphNode['kind'], [string, string]> = {
  'gateway': ['[[', ']]'],
  'route': ['[/', '/]'],
  'service': ['(', ')'],
  'workload': ['[', ']'],
  'mesh-target': ['((', '))'],
  'object': ['[', ']'],
};

const EDGE_WORDS: Record<GraphEdge['kind'], string> = {
  'serves': 'serves',
  'routes-to': 'routes to',
  'selects': 'selects',
  'resolves-to': 'resolves to',
};

function level(findings: readonly GraphFinding[]): 'error' | 'warning' | undefined {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  return findings.length > 0 ? 'warning' : undefined;
}

/** The rule ids of findings, each once, in order: `KUMA001 KUMA026`. */
function ruleIds(findings: readonly GraphFinding[]): string[] {
  return [...new Set(findings.map((f) => f.ruleId))].sort();
}

/** The line that names a node's or edge's findings: `⚠ KUMA001` in Mermaid; ASCII for Graphviz, whose fonts measure no other. */
function findingLine(findings: readonly GraphFinding[], ascii: boolean): string[] {
  const ids = ruleIds(findings);
  if (ids.length === 0) return [];
  return [ascii ? `${ids.length === 1 ? 'finding' : 'findings'} ${ids.join(' ')}` : `⚠ ${ids.join(' ')}`];
}

function nodeLines(n: GraphNode, ascii = false): string[] {
  return [n.object, ...n.details, ...findingLine(n.findings, ascii)];
}

function edgeLines(e: GraphEdge, ascii = false): string[] {
  return [
    e.kind === 'routes-to' || e.kind === 'serves' ? e.label : EDGE_WORDS[e.kind],
    ...e.policies.map((p) => `${p.kind} ${p.name}${p.effect === undefined ? '' : ` (${p.effect})`}`),
    ...findingLine(e.findings, ascii),
  ];
}

/** Mermaid text inside a quoted label: its entity codes for the characters the grammar reads. */
function mermaidText(s: string): string {
  return s.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;');
}

/** A `flowchart LR` of the graph. */
export function toMermaid(g: TrafficGraph): string {
  const out = ['flowchart LR'];
  for (const n of g.nodes) {
    const [open, close] = SHAPES[n.kind];
    out.push(`  ${n.id}${open}"${nodeLines(n).map(mermaidText).join('<br/>')}"${close}`);
  }
  g.edges.forEach((e) => {
    const arrow = e.kind === 'selects' || e.kind === 'resolves-to' ? '-.->' : '-->';
    out.push(`  ${e.from} ${arrow}|"${edgeLines(e).map(mermaidText).join('<br/>')}"| ${e.to}`);
  });
  const errors = g.nodes.filter((n) => level(n.findings) === 'error').map((n) => n.id);
  const warnings = g.nodes.filter((n) => level(n.findings) === 'warning').map((n) => n.id);
  if (errors.length > 0 || warnings.length > 0 || g.edges.some((e) => level(e.findings) !== undefined)) {
    out.push('  classDef error fill:#fde2e1,stroke:#c62828,color:#000');
    out.push('  classDef warning fill:#fff4d6,stroke:#b26a00,color:#000');
  }
  if (errors.length > 0) out.push(`  class ${errors.join(',')} error`);
  if (warnings.length > 0) out.push(`  class ${warnings.join(',')} warning`);
  g.edges.forEach((e, i) => {
    const l = level(e.findings);
    if (l !== undefined) out.push(`  linkStyle ${i} stroke:${l === 'error' ? '#c62828' : '#b26a00'},stroke-width:2px`);
  });
  return `${out.join('\n')}\n`;
}

/** A DOT string literal. */
function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const DOT_SHAPES: Record<GraphNode['kind'], string> = {
  'gateway': 'box3d',
  'route': 'parallelogram',
  'service': 'ellipse',
  'workload': 'box',
  'mesh-target': 'doublecircle',
  'object': 'note',
};

/** A Graphviz digraph of the graph. */
export function toDot(g: TrafficGraph): string {
  const color = (l: 'error' | 'warning' | undefined) => (l === 'error' ? ', color="#c62828", fontcolor="#c62828", penwidth=2' : l === 'warning' ? ', color="#b26a00", penwidth=2' : '');
  const out = [
    `digraph ${dotString(`Kuma ${g.version}`)} {`,
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const n of g.nodes) out.push(`  ${n.id} [shape=${DOT_SHAPES[n.kind]}, label=${dotString(nodeLines(n, true).join('\n'))}${color(level(n.findings))}];`);
  for (const e of g.edges) {
    const style = e.kind === 'selects' || e.kind === 'resolves-to' ? ', style=dashed' : '';
    out.push(`  ${e.from} -> ${e.to} [label=${dotString(edgeLines(e, true).join('\n'))}${style}${color(level(e.findings))}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** The graph as JSON: nodes, edges (by node id), and every finding with the node or edge it is on. */
export function toJson(g: TrafficGraph): string {
  const findings = [
    ...g.nodes.flatMap((n) => n.findings.map((f) => ({ ...f, node: n.id }))),
    ...g.edges.flatMap((e, i) => e.findings.map((f) => ({ ...f, edge: i }))),
  ];
  return `${JSON.stringify({ kumaVersion: g.version, nodes: g.nodes, edges: g.edges, findings }, null, 2)}\n`;
}

/** The graph in one of its text formats. */
export function graphText(g: TrafficGraph, format: 'mermaid' | 'dot' | 'json'): string {
  return format === 'dot' ? toDot(g) : format === 'json' ? toJson(g) : toMermaid(g);
}
