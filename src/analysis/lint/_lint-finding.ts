import { MeshFinding } from '../finding';
import type { Suppression } from '../rules/rule';

/** A finding as the lint reports it: placed at its file, line and column. */
export interface LintFinding extends MeshFinding {
  /** The file it is reported at (a rendered folder's kustomization.yaml or Chart.yaml). */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Set for a finding accepted by its object's annotation or the config's exemptions. */
  readonly suppressed?: Suppression;
}
