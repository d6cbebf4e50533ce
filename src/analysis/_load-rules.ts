import type * as Rules from './rules';
import { lazy } from '../private/_lazy';

/**
 * The rules (src/analysis/rules/: the registry, every rule and the predictions they read), loaded with the first analysis:
 * importing the package does not pay for them, an app with a MeshAnalyzer pays once.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const rules = lazy(() => require('./rules') as typeof Rules);
