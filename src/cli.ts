#!/usr/bin/env node
// `cdk8s-kuma lint <files or dirs>`: the package's command (package.json "bin").
import { lint } from './analysis/lint/_lint';

// A reader that went away (`cdk8s-kuma lint ... | head -1`) ends the output, not the command with a
// stack trace: the status is the one the lint computed.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
}

try {
  process.exitCode = lint(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
} catch (e: any) {
  // Never a stack trace in a pipeline: one line, and the bad-input status.
  process.stderr.write(`cdk8s-kuma: internal error: ${e?.message ?? e} (please report it with the input that caused it)\n`);
  process.exitCode = 2;
}
