import type * as L1 from '../imports/kuma.io';
import { lazy } from '../private/_lazy';

/*
 * The generated Kuma L1 module (src/imports/kuma.io.ts, ~23,600 lines) is loaded on first use,
 * not when the package is imported: an app that creates no Kuma policy, Mesh or ContainerPatch
 * never pays for it. Types come from `import type`, which emits nothing; the public `kuma`
 * submodule is made lazy the same way after compilation (build-tools/lazy-index.ts).
 */

/** The generated Kuma L1 classes and enums. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const kumaL1 = lazy(() => require('../imports/kuma.io') as typeof L1);
