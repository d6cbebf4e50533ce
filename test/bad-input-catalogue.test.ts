import * as fs from 'fs';
import * as path from 'path';
import { KumaErrors } from '../src';
import { CATALOGUE } from './support/catalogue';

describe('bad-input catalogue: each misconfiguration and the exact message a user sees', () => {
  test('has at least 40 entries with unique ids', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CATALOGUE.map((e) => e.id)).size).toBe(CATALOGUE.length);
  });

  test.each(CATALOGUE.map((e) => [e.id, e.what, e]))('%s %s', (_id, _what, entry) => {
    let error: unknown;
    try {
      entry.run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    // construction errors are KumaConfigErrors; synth-time ones come inside cdk8s's validation error
    if (!entry.message.startsWith('[')) expect(KumaErrors.isKumaConfigError(error)).toBe(true);
    expect(message).toContain(entry.message);
  });

  test('the README lists every entry', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    for (const e of CATALOGUE) expect(readme).toContain(`| ${e.id} | ${e.what} |`);
  });
});
