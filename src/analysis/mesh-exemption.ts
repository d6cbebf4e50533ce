/** A finding accepted for the objects it names, with the reason (`MeshAnalysisOptions.exemptions`). */
export interface MeshExemption {
  /** The rule id, for example `KUMA009`. */
  readonly rule: string;
  /** Why the finding is accepted: a reviewer reads it, and the lint reports it with the finding. */
  readonly reason: string;
  /**
   * The kind of the objects (`Deployment`; case matters, as in Kubernetes); `*` stands for any characters.
   *
   * @default - any kind
   */
  readonly kind?: string;
  /**
   * Their namespace; `*` stands for any characters.
   *
   * @default - any namespace
   */
  readonly namespace?: string;
  /**
   * Their name; `*` stands for any characters (`*-kong` for every release of a chart).
   *
   * @default - any name
   */
  readonly name?: string;
}
