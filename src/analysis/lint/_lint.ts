import * as fs from 'fs';
import * as path from 'path';
import { packageVersion } from './_args';
import { againstBaseline, baselineText, readBaseline } from './_baseline';
import { unifiedDiff } from './_diff';
import { locate, parseLintBuffer } from './_files';
import { AppliedFix, formatReport, LintReport, summaryLine } from './_format';
import { analysisOptionsOf, CommandIo, loadInputs, writeReport } from './_inputs';
import { LintFinding } from './_lint-finding';
import { applyFileFix, LintFile, renderFile } from './_lint-fix';
import { writeAtomically } from './_write';
import { jsonPointer } from '../../private/_json-pointer';
import { KumaConfigError } from '../../private/_kuma-config-error';
import { suppressionNotes } from '../_suppression';
import { FindingSeverity } from '../finding';
import { MeshAnalysis } from '../mesh-analysis';
import { forCommandLine, RULES_IN_ID_ORDER } from '../rules';
import { RawFinding } from '../rules/rule';

/*
 * `cdk8s-kuma lint`: parses the arguments (_args.ts) over the config file (../_settings.ts), reads
 * the files (_inputs.ts, _files.ts, _render.ts), runs the analysis, applies and writes the fixes (_lint-fix.ts,
 * _write.ts), places each finding (_positions.ts), sets the baseline's apart (_baseline.ts) and
 * prints the report (_format.ts). No rule logic lives here.
 */

/** Where the lint command writes. */
export type LintIo = CommandIo;

/** The `lint` command: returns the exit status. */
export function lint(argv: string[], io: LintIo): number {
  const args = [...argv];
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    io.stdout.write(`cdk8s-kuma ${packageVersion()}\n`);
    return 0;
  }
  if (args[0] === 'lint') args.shift();
  let baseline: ReturnType<typeof readBaseline> | undefined;
  const loaded = loadInputs(args, 'lint', io, {
    // a bad baseline stops the run before anything is read
    before: (options) => {
      try {
        baseline = options.baseline === undefined ? undefined : readBaseline(options.baseline);
        return undefined;
      } catch (e: any) {
        return e.message;
      }
    },
    notes: (options, input) => [
      ...input.files.filter((f) => f.rendered).map((r) => `${r.path}: is rendered output; --fix cannot write its fixes back: fix its sources`),
      ...suppressionNotes(input.located.manifests, RULES_IN_ID_ORDER.map((r) => r.id), options.exemptions, options.configFile),
    ],
  });
  if (typeof loaded === 'number') return loaded;
  const { options, walked, input, positions, problems } = loaded;

  const analysisOptions = analysisOptionsOf(options);
  let located = input.located;
  let raw: RawFinding[];
  let suppressed: RawFinding[] = [];
  const fixed: AppliedFix[] = [];
  try {
    raw = MeshAnalysis._analyze(located.manifests, analysisOptions, undefined, undefined, suppressed);
    if (options.fix) {
      for (const f of raw) {
        if (f.autoFix !== undefined && applyFileFix(f.autoFix, located.where)) fixed.push({ ruleId: f.ruleId, object: f.object, source: f.source });
      }
      const written = input.files.filter((f) => f.changed.size > 0);
      const next = new Map<LintFile, string>();
      for (const f of written) {
        next.set(f, renderFile(f));
        if (options.dryRun) {
          // git-style names for relative paths (patch -p1 applies them), the path itself for absolute ones
          const rel = !path.isAbsolute(f.path);
          io.stdout.write(unifiedDiff((f.bom ? '\uFEFF' : '') + f.text, next.get(f)!, rel ? `a/${f.path}` : f.path, rel ? `b/${f.path}` : f.path));
          continue;
        }
        const failure = writeAtomically(f.path, next.get(f)!, walked.roots);
        if (failure !== undefined) {
          problems.push(failure);
          io.stderr.write(`cdk8s-kuma: ${failure}\n`);
        }
      }
      if (written.length > 0) {
        // the files' bad documents were reported by the first pass: not again. The fixed files are
        // read from their new text, so that findings are placed on the lines they now have; with
        // --dry-run nothing was written, and findings stay at the lines of the files as they are.
        // in the order they were read: findings come in the order of the set, with --fix as without
        const files = input.files.map((f) => (next.has(f) ? reread(f, next.get(f)!) : f));
        const before = located.manifests;
        if (!options.dryRun) for (const m of before) positions.forget(m);
        located = { ...locate(files, [], options.dryRun ? undefined : positions), skipped: located.skipped };
        if (options.dryRun) positions.carry(before, located.manifests);
        suppressed = [];
        raw = MeshAnalysis._analyze(located.manifests, analysisOptions, undefined, undefined, suppressed);
      }
    }
  } catch (e: any) {
    // bad options the analysis refuses are usage errors; anything else is a bug (cli.ts: exit 3)
    if (!KumaConfigError.isKumaConfigError(e)) throw e;
    io.stderr.write(`cdk8s-kuma: ${e.message}\n`);
    return 2;
  }
  const place = (f: RawFinding, shown: ReturnType<typeof forCommandLine>[number]): LintFinding => {
    const at = positions.of(f.target, f.at);
    const artifact = f.source === undefined ? undefined : input.artifacts.get(f.source.replace(/#\d+$/, ''));
    const file = f.source === undefined ? undefined : artifact ?? f.source.replace(/#\d+$/, '');
    return {
      ...shown,
      // rendered output: --fix cannot write it, so a fix text that offers it points at the sources instead
      ...artifact === undefined ? {} : { fix: shown.fix.replace(/\(cdk8s-kuma lint --fix [^)]*\)/g, '(in the sources it is rendered from: --fix cannot write rendered output)') },
      ...file === undefined ? {} : { file },
      ...at === undefined ? {} : { line: at.line, column: at.column },
      // a JSON pointer: keys such as kuma.io/mesh hold '/' and '.'
      ...f.at === undefined ? {} : { key: jsonPointer(f.at) },
      ...f.suppressed ? { suppressed: f.suppressed } : {},
    };
  };
  const all = forCommandLine(raw).map((f, i) => place(raw[i], f));
  const accepted = forCommandLine(suppressed).map((f, i) => place(suppressed[i], f));
  const { known, fresh, stale } = baseline === undefined ? { known: [], fresh: all, stale: 0 } : againstBaseline(all, baseline, packageVersion());
  let baselineWritten: number | undefined;
  if (options.writeBaseline !== undefined) {
    try {
      fs.writeFileSync(options.writeBaseline, baselineText(all, packageVersion()));
      baselineWritten = all.length;
    } catch (e: any) {
      problems.push(`--write-baseline ${options.writeBaseline}: cannot be written (${e.code ?? e.message})`);
      io.stderr.write(`cdk8s-kuma: ${problems[problems.length - 1]}\n`);
    }
  }
  const result: LintReport = {
    objects: located.manifests.length,
    skipped: located.skipped,
    findings: fresh,
    suppressed: accepted,
    baselined: known.length,
    staleBaseline: stale,
    fixed,
    problems,
    baselineWritten,
  };
  if (!writeReport(io, options.output, formatReport(options, result), () => `${summaryLine(options, result)}; report in ${options.output}`)) return 2;
  if (problems.length > 0) return 2;
  // writing a baseline accepts this run's findings
  if (options.writeBaseline !== undefined) return 0;
  const failing = options.failOn === 'warning' ? fresh : fresh.filter((f) => f.severity === FindingSeverity.ERROR);
  return failing.length > 0 ? 1 : 0;
}

/** A file as --fix left it (or, with --dry-run, would leave it). */
function reread(file: LintFile, text: string): LintFile {
  const read = parseLintBuffer(file.path, Buffer.from(text, 'utf8'));
  // what a fix writes is YAML the lint itself rendered: it parses
  if (typeof read === 'string') throw new Error(`internal error: the fixed ${file.path} does not parse (${read})`);
  return read;
}

