#!/usr/bin/env node
// `cdk8s-kuma lint|dataplanes|graph <files or dirs>` and `cdk8s-kuma rules [RULE]`: the package's command (package.json "bin").
import { dataplanes } from './analysis/lint/_dataplanes-command';
import { graph } from './analysis/lint/_graph-command';
import { lint } from './analysis/lint/_lint';
import { rules } from './analysis/lint/_rules-command';

// A reader that went away (`cdk8s-kuma lint ... | head -1`) ends the output, not the command with a
// stack trace: the status is the one the lint computed.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
}

const argv = process.argv.slice(2);
const io = { stdout: process.stdout, stderr: process.stderr };
try {
  const command = argv[0];
  if (command === 'rules') {
    process.exitCode = rules(argv.slice(1), io);
  } else if (command === 'dataplanes') {
    process.exitCode = dataplanes(argv.slice(1), io);
  } else if (command === 'graph') {
    const status = graph(argv.slice(1), io);
    if (typeof status === 'number') process.exitCode = status;
    else status.then((s) => { process.exitCode = s; }, internalError);
  } else if (command === undefined || command === 'lint' || command.startsWith('-')) {
    process.exitCode = lint(argv, io);
  } else {
    // a command that is not one is an error, not a path to lint
    process.stderr.write(`cdk8s-kuma: unknown command ${JSON.stringify(command)}: the commands are lint, dataplanes, graph and rules (cdk8s-kuma lint --help)\n`);
    process.exitCode = 2;
  }
} catch (e: any) {
  internalError(e);
}

/** Never a stack trace in a pipeline: one line, and the internal-error status. */
function internalError(e: any): void {
  process.stderr.write(`cdk8s-kuma: internal error: ${e?.message ?? e} (please report it with the input that caused it)\n`);
  process.exitCode = 3;
}
