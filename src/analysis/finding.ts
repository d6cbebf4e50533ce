/** How serious a finding is. */
export enum FindingSeverity {
  /** Kuma or the gateway will misbehave: traffic bypasses the mesh, pods run without sidecar, ... */
  ERROR = 'error',
  /** Probably wrong, or not checkable from the objects given. */
  WARNING = 'warning',
}

/** One problem found in a set of manifests. */
export interface MeshFinding {
  /** The stable id of the rule, for example `KUMA001`. */
  readonly ruleId: string;
  /** The rule's short name, for example `service-upstream-missing`. */
  readonly rule: string;
  /** How serious it is. */
  readonly severity: FindingSeverity;
  /** The object, as `<kind> <namespace>/<name>`. */
  readonly object: string;
  /**
   * Where the object came from: a construct path, or `file#document` for the lint command.
   *
   * @default - not known
   */
  readonly source?: string;
  /** What is wrong and what Kuma does with it. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A rule of the analysis, for the catalogue. */
export interface MeshRule {
  /** The stable id, for example `KUMA001`. */
  readonly id: string;
  /** The short name. */
  readonly name: string;
  /** What it finds. */
  readonly description: string;
  /** Whether `MeshAnalyzer` can fix it (with `fix: true`). */
  readonly fixable: boolean;
}
