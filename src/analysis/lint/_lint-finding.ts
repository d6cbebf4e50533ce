import { MeshFinding } from '../finding';
import type { Suppression } from '../rules/rule';

/** A finding as the lint reports it: placed at its file, line and column. */
export interface LintFinding extends MeshFinding {
  /** The file it is reported at (a rendered folder's kustomization.yaml or Chart.yaml). */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** The key of the object the finding is about, as a JSON pointer (`/spec/rules/0/http/paths/0/backend/service`), when there is one. */
  readonly key?: string;
  /** Set for a finding accepted by its object's annotation or the config's exemptions. */
  readonly suppressed?: Suppression;
}
