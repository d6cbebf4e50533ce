import * as fs from 'fs';
import * as path from 'path';
import { KumaVersion } from '../../kuma/kuma-version';
import { DISTRIBUTIONS } from '../../mesh/_distributions';
import { KumaDistribution } from '../../mesh/kuma-control-plane';
import { MeshServicesMode } from '../../mesh/mesh';
import { isDns1123Label } from '../../private/_validation';
import { FindingSeverity } from '../finding';
import type { MeshExemption } from '../mesh-exemption';

/*
 * The lint command's arguments: its usage text, and the options it parses from them (kube-linter
 * keeps its flags in pkg/command/lint the same way, apart from what the lint does with them).
 */

/** The usage text, printed by --help and after a usage error. */
export const USAGE = `usage: cdk8s-kuma lint [--format text|json|sarif|github|gitlab] [--output <file>] [--fail-on error|warning]
                       [--config <file> | --no-config] [--baseline <file>] [--write-baseline <file>]
                       [--fix [--dry-run]] [--kuma-version <2.6..3.0>]
                       [--mesh-services-mode <mode>] [--distribution kuma|kong-mesh] [--control-plane-namespace <ns>]
                       [--namespace-label <ns>=<key>=<value>]... [--cni | --no-cni] [--ignore <RULE>]... <file|dir|->...
       cdk8s-kuma rules [<RULE>]
       cdk8s-kuma --version

Reads Kubernetes YAML (multi-document files, YAML 1.1 as kubectl reads it; directories are searched
for *.yaml and *.yml; - is standard input, as in helm template ... | cdk8s-kuma lint -, and
/dev/stdin or <(...) are read as files) and reports what Kuma would do wrong with it, each finding
at the file, line and column of the key it is about. A directory with a kustomization.yaml is
rendered with kubectl kustomize (or kustomize build), one with a Chart.yaml with helm template,
when the command is on PATH; else it is refused with the command to run. Documents that are not
Kubernetes objects (no apiVersion or kind: a chart's values.yaml) are skipped.
--config reads settings from a file; without it .cdk8s-kuma.yaml is looked for in the working
directory and its parents (--no-config: none). Its keys are those of the cdk8s.yaml validation
plugin (kumaVersion, distribution, controlPlaneNamespace, meshServicesMode, namespaceLabels, cni,
ignore, failOn, severities, exemptions; mergeFolders is the plugin's); flags override it, --ignore
and --namespace-label add to it.
An object accepts a finding with the annotation ignore.cdk8s-kuma/<RULE>: "<reason>"; the config's
exemptions accept findings by rule, kind, namespace and name, each with a reason. Accepted findings
are reported as suppressed (a line each with the reason, JSON, SARIF suppressions) and fail
nothing; an annotation naming no rule and an exemption matching nothing are notes on stderr.
--write-baseline records this run's findings in a file (and exits 0); --baseline reports only the
findings that file does not have.
--fix applies the fixable rules
to the files (the safe ones only add annotations; with --kuma-version 3.x the migration fixes
replace what 3.x removed), each file written atomically (a temporary file renamed over it), then
reports what remains; rendered kustomizations and charts are not fixed. --dry-run (or --diff)
prints the changes as a unified diff and writes nothing.
--distribution and --control-plane-namespace say where the control plane runs (kuma-system for Kuma,
kong-mesh-system for Kong Mesh); without them it is read from the set, or assumed and said so.
--namespace-label declares a label of a namespace that is not in the files (Helm and Kustomize
output seldom has Namespace objects), e.g. shop=kuma.io/sidecar-injection=enabled: without it,
pods of such a namespace are not known to be meshed and no finding rests on it.
--cni says the control plane runs Kuma CNI (cni.enabled), so meshed pods get no root kuma-init
container; --no-cni says it does not (over a config file's cni: true); without either, findings
that depend on it say they assume Kuma's default, no CNI.
--format json (or --json) prints the findings as JSON, --format sarif as a SARIF 2.1.0 log for
code scanning (GitHub, GitLab), --format github as GitHub Actions workflow commands
(::error file=...,line=...::), which annotate the pull request, --format gitlab as a GitLab Code
Quality report (artifacts: reports: codequality), which the merge request shows.
--output writes the report to a file instead of standard output. --fail-on warning makes warnings
fail too (exit 1); the default is error.
Exit status: 0 no finding at or above --fail-on, 1 findings at or above it, 2 bad usage, a bad
config or bad input (each bad file or document is reported on one line; the rest is still
checked), 3 an internal error (a bug: please report it with the input).
`;


export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
export type Format = typeof FORMATS[number];


/** The path that names standard input, as kubectl's `-f -`. */
export const STDIN = '-';

/** What the command line asks for; a setting not given is undefined (the config file's, else the default, applies). */
export interface LintFlags {
  readonly format: Format;
  /** Where the report goes: a file, else standard output. */
  readonly output?: string;
  /** The severity from which a finding makes the exit status 1. */
  readonly failOn?: 'error' | 'warning';
  readonly fix: boolean;
  readonly dryRun: boolean;
  readonly version?: KumaVersion;
  readonly mode?: MeshServicesMode;
  readonly distribution?: KumaDistribution;
  readonly controlPlaneNamespace?: string;
  readonly cni?: boolean;
  readonly namespaceLabels: Record<string, Record<string, string>>;
  readonly ignore: string[];
  readonly paths: string[];
  /** The config file named by --config. */
  readonly config?: string;
  /** --no-config: no config file is read. */
  readonly noConfig: boolean;
  /** Findings in this baseline file are not reported as new. */
  readonly baseline?: string;
  /** Where to write the baseline of this run. */
  readonly writeBaseline?: string;
}

/** The options a run lints with: the flags over the config file over the defaults. */
export interface LintOptions extends LintFlags {
  readonly version: KumaVersion;
  readonly failOn: 'error' | 'warning';
  readonly severities: Record<string, FindingSeverity>;
  readonly exemptions: MeshExemption[];
  /** The config file read, if any. */
  readonly configFile?: string;
}

/** What the arguments ask for: flags to lint with, or a text to print (--help, --version). */
export type ParsedArgs = { readonly options: LintFlags } | { readonly print: string };

/** Parses the arguments (after `lint`); a usage error throws, with the message to print. */
export function parseArgs(argv: string[]): ParsedArgs {
  const args = [...argv];
  let format: Format = 'text';
  let output: string | undefined;
  let failOn: 'error' | 'warning' | undefined;
  let fix = false;
  let dryRun = false;
  let version: KumaVersion | undefined;
  let config: string | undefined;
  let noConfig = false;
  let baseline: string | undefined;
  let writeBaseline: string | undefined;
  let mode: MeshServicesMode | undefined;
  let distribution: KumaDistribution | undefined;
  let controlPlaneNamespace: string | undefined;
  let cni: boolean | undefined;
  const namespaceLabels: Record<string, Record<string, string>> = {};
  const ignore: string[] = [];
  const paths: string[] = [];
  while (args.length > 0) {
    const a = args.shift()!;
    switch (a) {
      case '--help':
      case '-h':
        return { print: USAGE };
      case '--json':
        format = 'json';
        break;
      case '--format': {
        const f = value(a, args);
        if (!(FORMATS as readonly string[]).includes(f)) throw new Error(`--format: ${JSON.stringify(f)} is not one of ${FORMATS.join(', ')}`);
        format = f as Format;
        break;
      }
      case '--version':
        return { print: `cdk8s-kuma ${packageVersion()}\n` };
      case '--output':
        output = value(a, args);
        break;
      case '--fail-on': {
        const f = value(a, args);
        if (f !== 'error' && f !== 'warning') throw new Error(`--fail-on: ${JSON.stringify(f)} is not one of error, warning`);
        failOn = f;
        break;
      }
      case '--fix':
        fix = true;
        break;
      case '--config':
        config = value(a, args);
        break;
      case '--no-config':
        noConfig = true;
        break;
      case '--baseline':
        baseline = value(a, args);
        break;
      case '--write-baseline':
        writeBaseline = value(a, args);
        break;
      case '--dry-run':
      case '--diff':
        dryRun = true;
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
      case '--distribution':
        distribution = distributionOf(value(a, args));
        break;
      case '--control-plane-namespace':
        controlPlaneNamespace = namespaceOf(value(a, args));
        break;
      case '--cni':
        cni = true;
        break;
      case '--no-cni':
        cni = false;
        break;
      case '--namespace-label': {
        const v = value(a, args);
        const m = v.match(/^([^=]+)=([^=]+)=(.*)$/);
        if (m === null) throw new Error(`--namespace-label: ${JSON.stringify(v)} is not <namespace>=<key>=<value>, e.g. shop=kuma.io/sidecar-injection=enabled`);
        namespaceLabels[namespaceOf(m[1], '--namespace-label')] = { ...namespaceLabels[m[1]], [m[2]]: m[3] };
        break;
      }
      default:
        if (a.startsWith('-') && a !== STDIN) throw new Error(`unknown option ${a}`);
        paths.push(a);
    }
  }
  if (paths.length === 0) throw new Error('no file or directory given');
  if (dryRun && !fix) throw new Error('--dry-run only goes with --fix');
  if (fix && !dryRun && paths.includes(STDIN)) throw new Error('--fix cannot write standard input (-): lint a file, or use --fix --dry-run for the diff');
  if (config !== undefined && noConfig) throw new Error('--config and --no-config: give one');
  if (dryRun && format !== 'text' && output === undefined) {
    throw new Error(`--dry-run prints its diff on standard output, where the ${format} report would go too: add --output <file> for the report`);
  }
  if (baseline !== undefined && writeBaseline !== undefined) {
    throw new Error('--baseline and --write-baseline: give one (--write-baseline alone records the findings of this run, the fixed ones dropped)');
  }
  return {
    options: {
      format,
      output,
      failOn,
      fix,
      dryRun,
      version,
      mode,
      distribution,
      controlPlaneNamespace,
      cni,
      namespaceLabels,
      ignore,
      paths,
      config,
      noConfig,
      baseline,
      writeBaseline,
    },
  };
}

/** The package's version, from its package.json (lib/analysis/lint/ or src/analysis/lint/ -> the package root). */
export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function meshServicesMode(m: string): MeshServicesMode {
  if (!Object.values<string>(MeshServicesMode).includes(m)) {
    throw new Error(`--mesh-services-mode: ${JSON.stringify(m)} is not one of ${Object.values(MeshServicesMode).join(', ')}`);
  }
  return m as MeshServicesMode;
}


function distributionOf(d: string): KumaDistribution {
  const found = DISTRIBUTIONS[d];
  if (found === undefined) throw new Error(`--distribution: ${JSON.stringify(d)} is not one of ${Object.keys(DISTRIBUTIONS).join(', ')}`);
  return found;
}

function namespaceOf(ns: string, option = '--control-plane-namespace'): string {
  if (!isDns1123Label(ns)) {
    throw new Error(`${option}: ${JSON.stringify(ns)} is not a namespace name (lower-case letters, digits and '-', at most 63)`);
  }
  return ns;
}

function value(option: string, args: string[]): string {
  const v = args.shift();
  if (v === undefined || v.startsWith('--')) throw new Error(`${option} needs a value`);
  return v;
}
