/** How a traffic graph is written (`MeshAnalysis.trafficGraph()`, `MeshAnalyzerProps.graphFile`). */
export enum TrafficGraphFormat {
  /** A Mermaid `flowchart`: GitHub and GitLab render it in markdown (a pull-request comment). */
  MERMAID = 'mermaid',
  /** Graphviz DOT. */
  DOT = 'dot',
  /** `{ kumaVersion, nodes, edges, findings }`, each finding with the node or edge it is on. */
  JSON = 'json',
}
