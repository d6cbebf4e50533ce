import * as fs from 'fs';
import { Command, LintFlags, LintOptions, parseArgs, usageOf } from './_args';
import { expandAll, LintInput, locate, Located, readLintInput } from './_files';
import { LintFile } from './_lint-fix';
import { Positions } from './_positions';
import { KumaVersion } from '../../kuma/kuma-version';
import { KumaConfigError } from '../../private/_kuma-config-error';
import { AnalysisSettings, findConfigFile, readConfigFile } from '../_settings';
import type { MeshAnalysisOptions } from '../mesh-analysis';
import { RULES_IN_ID_ORDER } from '../rules';

/*
 * What the commands that read manifests share (lint, dataplanes, graph): the options of a run,
 * flags over the config file, and the files read and located.
 */

/**
 * The options of a run: the flags over the config file (--config, else `.cdk8s-kuma.yaml` from
 * `cwd` upwards, unless --no-config) over the defaults. Lists (--ignore, --namespace-label) add to
 * the file's.
 */
export function withConfig(flags: LintFlags, cwd: string): LintOptions {
  const configFile = flags.noConfig ? undefined : flags.config ?? findConfigFile(cwd);
  const ruleIds = RULES_IN_ID_ORDER.map((r) => r.id);
  for (const id of flags.ignore) if (!ruleIds.includes(id)) throw new Error(`--ignore: ${JSON.stringify(id)} is not a rule id (cdk8s-kuma rules lists them)`);
  const file: AnalysisSettings = configFile === undefined ? {} : readConfigFile(configFile, ruleIds);
  const namespaceLabels: Record<string, Record<string, string>> = { ...file.namespaceLabels };
  for (const [ns, labels] of Object.entries(flags.namespaceLabels)) namespaceLabels[ns] = { ...namespaceLabels[ns], ...labels };
  return {
    ...flags,
    configFile,
    version: flags.version ?? file.kumaVersion ?? KumaVersion.DEFAULT,
    mode: flags.mode ?? file.meshServicesMode,
    distribution: flags.distribution ?? file.distribution,
    controlPlaneNamespace: flags.controlPlaneNamespace ?? file.controlPlaneNamespace,
    cni: flags.cni ?? file.cni,
    namespaceLabels,
    ignore: [...new Set([...file.ignore ?? [], ...flags.ignore])],
    failOn: flags.failOn ?? file.failOn ?? 'error',
    severities: { ...file.severities },
    exemptions: [...file.exemptions ?? []],
  };
}

/** The files read and located; bad input goes to `problems`. */
export function readAll(inputs: LintInput[], options: LintOptions, problems: string[], positions: Positions, stdin?: () => Buffer) {
  // Without --fix each file's YAML syntax tree is dropped once its objects are read: a lint of
  // a 50,000-object tree holds the objects and the files' text, not every document's tree.
  // with --fix: every file read, rendered or not, in the order read (the second pass reads them again)
  const files: LintFile[] = [];
  const located: Located = { manifests: [], where: new Map(), skipped: [] };
  // the file a rendered folder's findings are reported at, by the name its documents carry
  const artifacts = new Map<string, string>();
  for (const input of inputs) {
    const read = readLintInput(input, stdin);
    if (typeof read === 'string') {
      problems.push(read);
      continue;
    }
    if (read.artifact !== undefined) artifacts.set(read.path, read.artifact);
    const one = locate([read], problems, positions);
    located.manifests.push(...one.manifests);
    located.skipped.push(...one.skipped);
    if (options.fix) files.push(read);
    // rendered output cannot be written back: no fix applies to it (its findings stay, unfixed, and its objects in the set)
    if (options.fix && !read.rendered) for (const [m, loc] of one.where) located.where.set(m, loc);
  }
  return { files, located, artifacts };
}

/** Where a command writes. */
export interface CommandIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  /** Standard input, for the path `-` (the command reads file descriptor 0). */
  readonly stdin?: () => Buffer;
}

/** What a command adds to reading its inputs. */
export interface InputHooks {
  /** Runs once the options are known, before any file is read: an error message stops the run (exit 2). */
  readonly before?: (options: LintOptions) => string | undefined;
  /** Notes on the inputs read (stderr, after the lint's own). */
  readonly notes?: (options: LintOptions, input: ReturnType<typeof readAll>) => string[];
}

/** A command's inputs, read: its options, the files and their objects, and the bad input found. */
export interface LoadedInputs {
  readonly options: LintOptions;
  readonly walked: ReturnType<typeof expandAll>;
  readonly input: ReturnType<typeof readAll>;
  readonly positions: Positions;
  readonly problems: string[];
}

/**
 * Parses a command's arguments over the config file and reads its inputs; bad input and notes
 * go to stderr, one line each. A number is the exit status to stop with (usage error: 2; --help,
 * --version: 0).
 */
export function loadInputs(argv: string[], command: Command, io: CommandIo, hooks: InputHooks = {}): LoadedInputs | number {
  let options: LintOptions;
  try {
    const parsed = parseArgs(argv, command);
    if ('print' in parsed) {
      io.stdout.write(parsed.print);
      return 0;
    }
    options = withConfig(parsed.options, process.cwd());
  } catch (e: any) {
    // a bad config file names itself and its key: no usage text after it
    io.stderr.write(KumaConfigError.isKumaConfigError(e) ? `cdk8s-kuma: ${e.message}\n` : `cdk8s-kuma: ${e.message}\n${usageOf(command)}`);
    return 2;
  }
  const refused = hooks.before?.(options);
  if (refused !== undefined) {
    io.stderr.write(`cdk8s-kuma: ${refused}\n`);
    return 2;
  }
  const problems: string[] = [];
  const walked = expandAll(options.paths, problems);
  const positions = new Positions();
  const input = readAll(walked.files, options, problems, positions, io.stdin);
  // Bad input is reported one line each; the rest of the set is still read (exit 2 at the end).
  for (const p of problems) io.stderr.write(`cdk8s-kuma: ${p}\n`);
  // Notes do not change the status: what was left out, and what cannot be done.
  const note = (n: string) => io.stderr.write(`cdk8s-kuma: note: ${n}\n`);
  for (const doc of input.located.skipped) note(`${doc}: is not a Kubernetes object (no kind, no metadata: a chart's values.yaml?), skipped`);
  for (const n of hooks.notes?.(options, input) ?? []) note(n);
  return { options, walked, input, positions, problems };
}

/** The analysis options of a run's settings (the lint's and the graph's). */
export function analysisOptionsOf(options: LintOptions): MeshAnalysisOptions {
  return {
    version: options.version,
    meshServicesMode: options.mode,
    ignore: options.ignore,
    distribution: options.distribution,
    controlPlaneNamespace: options.controlPlaneNamespace,
    namespaceLabels: options.namespaceLabels,
    cni: options.cni,
    severities: options.severities,
    exemptions: options.exemptions,
  };
}

/**
 * Writes a command's report to standard output, or to --output with `summary` on stderr (the CI
 * log still says what the run found). False when the file cannot be written (said on stderr).
 */
export function writeReport(io: CommandIo, output: string | undefined, report: string, summary: () => string): boolean {
  if (output === undefined) {
    io.stdout.write(report);
    return true;
  }
  try {
    fs.writeFileSync(output, report);
  } catch (e: any) {
    io.stderr.write(`cdk8s-kuma: --output ${output}: cannot be written (${e.code ?? e.message})\n`);
    return false;
  }
  io.stderr.write(`cdk8s-kuma: ${summary()}\n`);
  return true;
}
