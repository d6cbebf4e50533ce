#!/usr/bin/env node
// `cdk8s-kuma lint <files or dirs>`: the package's command (package.json "bin").
import { lint } from './analysis/_lint';

process.exitCode = lint(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
