#!/usr/bin/env node
// `cdk8s-kuma lint <files or dirs>`: the package's command (package.json "bin").
import { lint } from './analysis/lint/_lint';

try {
  process.exitCode = lint(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
} catch (e: any) {
  // Never a stack trace in a pipeline: one line, and the bad-input status.
  process.stderr.write(`cdk8s-kuma: internal error: ${e?.message ?? e} (please report it with the input that caused it)\n`);
  process.exitCode = 2;
}
