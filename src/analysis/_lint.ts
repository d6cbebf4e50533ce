import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KumaVersion } from '../kuma-version';
import { MeshServicesMode } from '../mesh';
import { Manifest } from './_manifests';
import { FindingSeverity } from './finding';
import { MeshAnalysis } from './mesh-analysis';

/** Where the lint command writes. */
export interface LintIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

const USAGE = `usage: cdk8s-kuma lint [--json] [--kuma-version <2.6..3.0>] [--mesh-services-mode <mode>] [--ignore <RULE>]... <file|dir>...

Reads Kubernetes YAML (multi-document files; directories are searched for *.yaml and *.yml) and
reports what Kuma would do wrong with it. Exit status: 0 no error (warnings allowed), 1 errors
found, 2 bad usage or unreadable input.
`;

/** The `lint` command: returns the exit status. */
export function lint(argv: string[], io: LintIo): number {
  const args = [...argv];
  if (args[0] === 'lint') args.shift();
  let json = false;
  let version = KumaVersion.DEFAULT;
  let mode: MeshServicesMode | undefined;
  const ignore: string[] = [];
  const paths: string[] = [];
  try {
    while (args.length > 0) {
      const a = args.shift()!;
      switch (a) {
        case '--help':
        case '-h':
          io.stdout.write(USAGE);
          return 0;
        case '--json':
          json = true;
          break;
        case '--kuma-version':
          version = KumaVersion.parse(value(a, args));
          break;
        case '--ignore':
          ignore.push(value(a, args));
          break;
        case '--mesh-services-mode':
          mode = meshServicesMode(value(a, args));
          break;
        default:
          if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
          paths.push(a);
      }
    }
    if (paths.length === 0) throw new Error('no file or directory given');
  } catch (e: any) {
    io.stderr.write(`cdk8s-kuma: ${e.message}\n${USAGE}`);
    return 2;
  }

  const manifests: Manifest[] = [];
  const problems: string[] = [];
  for (const file of paths.flatMap((p) => expand(p, problems))) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e: any) {
      problems.push(`${file}: cannot be read (${e.code ?? e.message})`);
      continue;
    }
    parseAllDocuments(text).forEach((doc, i) => {
      const where = `${file}#${i + 1}`;
      if (doc.errors.length > 0) {
        // yaml's message names the line and column in the file; its first line is enough.
        problems.push(`${where}: malformed YAML: ${doc.errors[0].message.split('\n')[0].replace(/:$/, '')}`);
        return;
      }
      const obj = doc.toJSON();
      if (obj === null || obj === undefined) return;
      if (typeof obj !== 'object' || Array.isArray(obj)) {
        problems.push(`${where}: is not a Kubernetes object (a YAML mapping with apiVersion and kind)`);
        return;
      }
      const items = obj.kind === 'List' && Array.isArray(obj.items) ? obj.items : [obj];
      items.forEach((item: any) => manifests.push({ obj: item, source: where }));
    });
  }
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`cdk8s-kuma: ${p}\n`);
    return 2;
  }

  let findings;
  try {
    findings = MeshAnalysis._analyze(manifests, { version, meshServicesMode: mode, ignore }).map(({ autoFix: _fix, ...f }) => f);
  } catch (e: any) {
    io.stderr.write(`cdk8s-kuma: ${e.message}\n`);
    return 2;
  }
  const errors = findings.filter((f) => f.severity === FindingSeverity.ERROR).length;
  if (json) {
    io.stdout.write(JSON.stringify({ version: version.toString(), objects: manifests.length, findings }, undefined, 2) + '\n');
  } else {
    for (const f of findings) {
      io.stdout.write(`${f.severity.toUpperCase()} ${f.ruleId} ${f.rule}\n  ${f.object} (${f.source})\n  ${f.message}.\n  fix: ${f.fix}\n`);
    }
    io.stdout.write(`${manifests.length} objects, ${errors} errors, ${findings.length - errors} warnings (Kuma ${version})\n`);
  }
  return errors > 0 ? 1 : 0;
}

function meshServicesMode(m: string): MeshServicesMode {
  if (!Object.values<string>(MeshServicesMode).includes(m)) {
    throw new Error(`--mesh-services-mode: ${JSON.stringify(m)} is not one of ${Object.values(MeshServicesMode).join(', ')}`);
  }
  return m as MeshServicesMode;
}

function value(option: string, args: string[]): string {
  const v = args.shift();
  if (v === undefined || v.startsWith('--')) throw new Error(`${option} needs a value`);
  return v;
}

/** A file, or the *.yaml and *.yml files under a directory, sorted. */
function expand(p: string, problems: string[]): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    problems.push(`${p}: no such file or directory`);
    return [];
  }
  if (!stat.isDirectory()) return [p];
  return fs.readdirSync(p).sort().flatMap((name) => {
    const full = path.join(p, name);
    if (fs.statSync(full).isDirectory()) return expand(full, problems);
    return /\.ya?ml$/.test(name) ? [full] : [];
  });
}
