import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Fresh temporary directories for a test file, removed after its tests: `const fresh = tempDirs('x')`
 * at the top level of the file, then `fresh()` in a test. The real path is returned, so messages
 * that resolve symbolic links name the same directory.
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  return () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-kuma-${prefix}-`)));
    dirs.push(dir);
    return dir;
  };
}
