import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KumaVersion } from '../kuma-version';
import { MeshServicesMode } from '../mesh';
import { applyFileFix, LintFile, ManifestLocation, renderFile } from './_lint-fix';
import { Manifest } from './_manifests';
import { withoutFixes } from './_rules';
import { FindingSeverity } from './finding';
import { MeshAnalysis } from './mesh-analysis';

/** Where the lint command writes. */
export interface LintIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

const USAGE = `usage: cdk8s-kuma lint [--json] [--fix] [--kuma-version <2.6..3.0>] [--mesh-services-mode <mode>] [--ignore <RULE>]... <file|dir>...

Reads Kubernetes YAML (multi-document files; directories are searched for *.yaml and *.yml) and
reports what Kuma would do wrong with it. --fix applies the safe fixes (KUMA001, KUMA002: the
service-upstream annotations; KUMA011: the gateway's reachable services) to the files in place,
adding annotations only, then reports what remains. Exit status: 0 no error (warnings allowed),
1 errors found, 2 bad usage or unreadable input.
`;

/** The `lint` command: returns the exit status. */
export function lint(argv: string[], io: LintIo): number {
  const args = [...argv];
  if (args[0] === 'lint') args.shift();
  let json = false;
  let fix = false;
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
        case '--fix':
          fix = true;
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

  const files: LintFile[] = [];
  const problems: string[] = [];
  for (const file of paths.flatMap((p) => expand(p, problems))) {
    try {
      const text = fs.readFileSync(file, 'utf8');
      files.push({ path: file, text, docs: parseAllDocuments(text), changed: new Set() });
    } catch (e: any) {
      problems.push(`${file}: cannot be read (${e.code ?? e.message})`);
    }
  }
  let located = locate(files, problems);
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`cdk8s-kuma: ${p}\n`);
    return 2;
  }

  const options = { version, meshServicesMode: mode, ignore };
  let raw;
  const fixed: Array<{ ruleId: string; object: string; source?: string }> = [];
  try {
    raw = MeshAnalysis._analyze(located.manifests, options);
    if (fix) {
      for (const f of raw) {
        if (f.autoFix !== undefined && applyFileFix(f.autoFix, located.where)) fixed.push({ ruleId: f.ruleId, object: f.object, source: f.source });
      }
      const written = files.filter((f) => f.changed.size > 0);
      for (const f of written) fs.writeFileSync(f.path, renderFile(f));
      if (written.length > 0) {
        located = locate(files, problems);
        raw = MeshAnalysis._analyze(located.manifests, options);
      }
    }
  } catch (e: any) {
    io.stderr.write(`cdk8s-kuma: ${e.message}\n`);
    return 2;
  }
  const manifests = located.manifests;
  const findings = withoutFixes(raw);
  const errors = findings.filter((f) => f.severity === FindingSeverity.ERROR).length;
  if (json) {
    io.stdout.write(JSON.stringify({ version: version.toString(), objects: manifests.length, ...(fix ? { fixed } : {}), findings }, undefined, 2) + '\n');
  } else {
    for (const f of fixed) io.stdout.write(`FIXED ${f.ruleId} ${f.object} (${f.source})\n`);
    for (const f of findings) {
      io.stdout.write(`${f.severity.toUpperCase()} ${f.ruleId} ${f.rule}\n  ${f.object} (${f.source})\n  ${f.message}.\n  fix: ${f.fix}\n`);
    }
    io.stdout.write(`${manifests.length} objects, ${errors} errors, ${findings.length - errors} warnings (Kuma ${version})\n`);
  }
  return errors > 0 ? 1 : 0;
}

/** The manifests of the files' documents (the items of a `List`), and where each one sits. */
function locate(files: LintFile[], problems: string[]): { manifests: Manifest[]; where: Map<Manifest, ManifestLocation> } {
  const manifests: Manifest[] = [];
  const where = new Map<Manifest, ManifestLocation>();
  for (const file of files) {
    file.docs.forEach((doc, i) => {
      const at = `${file.path}#${i + 1}`;
      if (doc.errors.length > 0) {
        // yaml's message names the line and column in the file; its first line is enough.
        problems.push(`${at}: malformed YAML: ${doc.errors[0].message.split('\n')[0].replace(/:$/, '')}`);
        return;
      }
      const obj = doc.toJSON();
      if (obj === null || obj === undefined) return;
      if (typeof obj !== 'object' || Array.isArray(obj)) {
        problems.push(`${at}: is not a Kubernetes object (a YAML mapping with apiVersion and kind)`);
        return;
      }
      const list = obj.kind === 'List' && Array.isArray(obj.items);
      (list ? obj.items : [obj]).forEach((item: any, j: number) => {
        const m: Manifest = { obj: item, source: at };
        manifests.push(m);
        where.set(m, { file, doc: i, base: list ? ['items', j] : [] });
      });
    });
  }
  return { manifests, where };
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
