import * as fs from 'fs';
import * as path from 'path';

/** The package's version, from its package.json (lib/private/ or src/private/ -> the package root). */
export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
