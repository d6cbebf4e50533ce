import { IConstruct } from 'constructs';

/*
 * Whether an app runs the MeshAnalyzer: a construct that would warn about what one of the
 * analyzer's rules reports too (a 3.x permission without a MeshIdentity, KUMA037) leaves it to the
 * analyzer, so that the user reads each finding once.
 */

const ANALYZED = new WeakSet<IConstruct>();

/** Records that the app of `scope` runs the MeshAnalyzer. */
export function markAnalyzed(scope: IConstruct): void {
  ANALYZED.add(scope.node.root);
}

/** Whether the app of `scope` runs the MeshAnalyzer. */
export function isAnalyzed(scope: IConstruct): boolean {
  return ANALYZED.has(scope.node.root);
}
