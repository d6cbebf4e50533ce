import * as fs from 'fs';
import * as path from 'path';
import { LintOptions, packageVersion, parseArgs, USAGE } from './_args';
import { unifiedDiff } from './_diff';
import { documentLines, expandAll, locate, readLintFile } from './_files';
import { AppliedFix, formatReport } from './_format';
import { applyFileFix, LintFile, ManifestLocation, renderFile } from './_lint-fix';
import { writeAtomically } from './_write';
import { Manifest } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { MeshAnalysis } from '../mesh-analysis';
import { forCommandLine } from '../rules';
import { RawFinding } from '../rules/rule';

/*
 * `cdk8s-kuma lint`: parses the arguments (_args.ts), reads the files (_files.ts), runs the
 * analysis, applies and writes the fixes (_lint-fix.ts, _write.ts) and prints the report
 * (_format.ts). No rule logic lives here.
 */

/** Where the lint command writes. */
export interface LintIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  /** Standard input, for the path `-` (the command reads file descriptor 0). */
  readonly stdin?: () => Buffer;
}

/** The `lint` command: returns the exit status. */
export function lint(argv: string[], io: LintIo): number {
  const args = [...argv];
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    io.stdout.write(`cdk8s-kuma ${packageVersion()}\n`);
    return 0;
  }
  if (args[0] === 'lint') args.shift();
  let options: LintOptions;
  try {
    const parsed = parseArgs(args);
    if ('print' in parsed) {
      io.stdout.write(parsed.print);
      return 0;
    }
    options = parsed.options;
  } catch (e: any) {
    io.stderr.write(`cdk8s-kuma: ${e.message}\n${USAGE}`);
    return 2;
  }

  const problems: string[] = [];
  const walked = expandAll(options.paths, problems);
  const input = readAll(walked.files, options, problems, io.stdin);
  // Bad input is reported one line each; the rest of the set is still checked (exit 2 at the end).
  for (const p of problems) io.stderr.write(`cdk8s-kuma: ${p}\n`);

  const analysisOptions = {
    version: options.version,
    meshServicesMode: options.mode,
    ignore: options.ignore,
    distribution: options.distribution,
    controlPlaneNamespace: options.controlPlaneNamespace,
    namespaceLabels: options.namespaceLabels,
    cni: options.cni,
  };
  let located = input.located;
  let raw: RawFinding[];
  const fixed: AppliedFix[] = [];
  try {
    raw = MeshAnalysis._analyze(located.manifests, analysisOptions);
    if (options.fix) {
      for (const f of raw) {
        if (f.autoFix !== undefined && applyFileFix(f.autoFix, located.where)) fixed.push({ ruleId: f.ruleId, object: f.object, source: f.source });
      }
      const written = input.files.filter((f) => f.changed.size > 0);
      for (const f of written) {
        const next = renderFile(f);
        if (options.dryRun) {
          // git-style names for relative paths (patch -p1 applies them), the path itself for absolute ones
          const rel = !path.isAbsolute(f.path);
          io.stdout.write(unifiedDiff((f.bom ? '\uFEFF' : '') + f.text, next, rel ? `a/${f.path}` : f.path, rel ? `b/${f.path}` : f.path));
          continue;
        }
        const failure = writeAtomically(f.path, next, walked.roots);
        if (failure !== undefined) {
          problems.push(failure);
          io.stderr.write(`cdk8s-kuma: ${failure}\n`);
        }
      }
      if (written.length > 0) {
        // the files' bad documents were reported by the first pass: not again
        located = locate(input.files, []);
        if (needsLines(options) && !options.dryRun) for (const f of input.files) documentLines(f, input.lines);
        raw = MeshAnalysis._analyze(located.manifests, analysisOptions);
      }
    }
  } catch (e: any) {
    io.stderr.write(`cdk8s-kuma: ${e.message}\n`);
    return 2;
  }
  const findings = forCommandLine(raw);
  const report = formatReport(options, { objects: located.manifests.length, findings, fixed, problems, lines: input.lines });
  if (options.output === undefined) {
    io.stdout.write(report);
  } else {
    try {
      fs.writeFileSync(options.output, report);
    } catch (e: any) {
      io.stderr.write(`cdk8s-kuma: --output ${options.output}: cannot be written (${e.code ?? e.message})\n`);
      return 2;
    }
  }
  if (problems.length > 0) return 2;
  const failing = options.failOn === 'warning' ? findings : findings.filter((f) => f.severity === FindingSeverity.ERROR);
  return failing.length > 0 ? 1 : 0;
}

/** Whether the report places findings at their document's line (SARIF, GitHub annotations). */
function needsLines(options: LintOptions): boolean {
  return options.format === 'sarif' || options.format === 'github';
}

/** The files read and located; bad input goes to `problems`. */
function readAll(files: string[], options: LintOptions, problems: string[], stdin?: () => Buffer) {
  // Without --fix each file's YAML syntax tree is dropped once its objects are read: a lint of
  // a 50,000-object tree holds the objects, not every document's tree.
  const kept: LintFile[] = [];
  const located: { manifests: Manifest[]; where: Map<Manifest, ManifestLocation> } = { manifests: [], where: new Map() };
  // `file#N` -> the line document N starts on (SARIF locations), counted in one pass per file
  const lines = new Map<string, number>();
  for (const file of files) {
    const read = readLintFile(file, stdin);
    if (typeof read === 'string') {
      problems.push(read);
      continue;
    }
    const one = locate([read], problems);
    located.manifests.push(...one.manifests);
    if (needsLines(options)) documentLines(read, lines);
    if (options.fix) {
      kept.push(read);
      for (const [m, loc] of one.where) located.where.set(m, loc);
    }
  }
  return { files: kept, located, lines };
}
