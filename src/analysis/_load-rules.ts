import type * as Rules from './_rules';
import { lazy } from '../private/_lazy';

/**
 * The rules (src/analysis/_rules.ts and the predictions it reads), loaded with the first analysis:
 * importing the package does not pay for them, an app with a MeshAnalyzer pays once.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const rules = lazy(() => require('./_rules') as typeof Rules);
