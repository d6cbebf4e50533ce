import { KumaVersion } from '../../kuma/kuma-version';
import { DISTRIBUTIONS } from '../../mesh/_distributions';
import { KumaDistribution } from '../../mesh/kuma-control-plane';
import { MeshServicesMode } from '../../mesh/mesh';
import { packageVersion } from '../../private/_package-version';
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
       cdk8s-kuma dataplanes [options] <file|dir|->...   (cdk8s-kuma dataplanes --help)
       cdk8s-kuma graph [options] <file|dir|->...        (cdk8s-kuma graph --help)
       cdk8s-kuma rules [<RULE>]
       cdk8s-kuma --version

Reads Kubernetes YAML (multi-document files, YAML 1.1 as kubectl reads it; directories are searched
for *.yaml and *.yml; - is standard input, as in helm template ... | cdk8s-kuma lint -, and
/dev/stdin or <(...) are read as files) and reports what Kuma would do wrong with it, each finding
at the file, line and column of the key it is about. A directory with a kustomization.yaml is
rendered with kubectl kustomize (or kustomize build), one with a Chart.yaml with helm template,
when the command is on PATH; else it is refused with the command to run. Documents that are not
Kubernetes objects (no apiVersion or kind: a chart's values.yaml) are skipped. -- ends the options
(a path after it may start with -).
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


const inputHelp = (cni: boolean) => `Inputs, --config, --kuma-version, --mesh-services-mode, --distribution, --control-plane-namespace,
--namespace-label${cni ? ' and --cni' : ''} are the lint's (cdk8s-kuma lint --help), and so is the config file .cdk8s-kuma.yaml
(looked for in the working directory and its parents; --no-config: none). Exit status: 0 done,
2 bad usage, a bad config or bad input (the rest is still read), 3 an internal error.
`;

/** `cdk8s-kuma dataplanes --help`. */
export const DATAPLANES_USAGE = `usage: cdk8s-kuma dataplanes [--format yaml|json] [--output <file>] [--zone <name>] [--workload-label <key>]...
                             [--as-injected] [--config <file> | --no-config] [--kuma-version <2.6..3.0>]
                             [--mesh-services-mode <mode>] [--distribution kuma|kong-mesh] [--control-plane-namespace <ns>]
                             [--namespace-label <ns>=<key>=<value>]... <file|dir|->...

Prints the Dataplane Kuma's injector and pod converter will make of one pod of each meshed
workload (and each meshed bare Pod), before anything is applied: kuma.io/v1alpha1 Dataplane objects
as YAML, each after comments that say what is assumed and what is left out (the pod's IP, its
readiness, node labels: they depend on the running cluster); --format json prints
{comment, dataplanes: [{owner, source, dataplane or error, comments}]}. Pods are predicted as Kuma's
injector leaves them with the control plane's defaults; --as-injected reads Pods (not workloads) as
already injected (kubectl get pods -o yaml), as is a pod annotated kuma.io/sidecar-injected: "true".
--zone names the zone (KUMA_MULTIZONE_ZONE_NAME; default "default", a standalone control
plane's). --workload-label is the control plane's runtime.kubernetes.workloadLabels (2.13 on).
` + inputHelp(false);

/** `cdk8s-kuma graph --help`. */
export const GRAPH_USAGE = `usage: cdk8s-kuma graph [--format mermaid|dot|json|svg] [--output <file>] [--ignore <RULE>]...
                        [--config <file> | --no-config] [--kuma-version <2.6..3.0>]
                        [--mesh-services-mode <mode>] [--distribution kuma|kong-mesh] [--control-plane-namespace <ns>]
                        [--namespace-label <ns>=<key>=<value>]... [--cni | --no-cni] <file|dir|->...

Draws what Kuma will do with the traffic of the set: each delegated gateway, its routes (Ingresses,
HTTPRoutes), the Services, MeshServices and cross-zone targets they reach, the policies on each
edge (permission, timeout, retry, circuit breaker) and every lint finding on the node or edge it is
about, labelled with its rule id. --format mermaid (the default) renders in GitHub and GitLab
markdown; dot is Graphviz; json is {kumaVersion, nodes, edges, findings} for other tools; svg is
drawn by Graphviz (WebAssembly, no install). The same input gives the same output, byte for byte.
` + inputHelp(true);

/** The commands that read manifests. */
export type Command = 'lint' | 'dataplanes' | 'graph';

const FORMATS_OF: Record<Command, readonly string[]> = {
  lint: ['text', 'json', 'sarif', 'github', 'gitlab'],
  dataplanes: ['yaml', 'json'],
  graph: ['mermaid', 'dot', 'json', 'svg'],
};
const USAGE_OF: Record<Command, () => string> = { lint: () => USAGE, dataplanes: () => DATAPLANES_USAGE, graph: () => GRAPH_USAGE };

/** The flags only one command has: given to another, they are an error that names the command. */
const ONLY: Record<string, Command[]> = {
  '--json': ['lint'],
  '--fail-on': ['lint'],
  '--fix': ['lint'],
  '--dry-run': ['lint'],
  '--diff': ['lint'],
  '--baseline': ['lint'],
  '--write-baseline': ['lint'],
  '--ignore': ['lint', 'graph'],
  '--cni': ['lint', 'graph'],
  '--no-cni': ['lint', 'graph'],
  '--zone': ['dataplanes'],
  '--workload-label': ['dataplanes'],
  '--as-injected': ['dataplanes'],
};

export const FORMATS = FORMATS_OF.lint;
export type Format = 'text' | 'json' | 'sarif' | 'github' | 'gitlab';

/** The usage text of a command. */
export function usageOf(command: Command): string {
  return USAGE_OF[command]();
}


export { packageVersion };

/** The path that names standard input, as kubectl's `-f -`. */
export const STDIN = '-';

/** What the command line asks for; a setting not given is undefined (the config file's, else the default, applies). */
export interface LintFlags {
  /** The command the flags are for. */
  readonly command: Command;
  /** The report's format: one of the command's (the lint's are `Format`). */
  readonly format: string;
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
  /** dataplanes: the zone's name. */
  readonly zone?: string;
  /** dataplanes: the control plane's workload labels. */
  readonly workloadLabels: string[];
  /** dataplanes: pods are read as already injected. */
  readonly asInjected: boolean;
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

/** Parses the arguments (after the command's name); a usage error throws, with the message to print. */
export function parseArgs(argv: string[], command: Command = 'lint'): ParsedArgs {
  const args = [...argv];
  const formats = FORMATS_OF[command];
  let format: string = formats[0];
  let zone: string | undefined;
  let asInjected = false;
  const workloadLabels: string[] = [];
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
    // `--` ends the options: what follows are paths, even one that starts with '-'
    if (a === '--') {
      paths.push(...args.splice(0));
      break;
    }
    const only = ONLY[a];
    if (only !== undefined && !only.includes(command)) throw new Error(`${a} is an option of cdk8s-kuma ${only.join(' and ')}, not of ${command}`);
    switch (a) {
      case '--help':
      case '-h':
        return { print: usageOf(command) };
      case '--json':
        format = 'json';
        break;
      case '--format': {
        const f = value(a, args);
        if (!formats.includes(f)) throw new Error(`--format: ${JSON.stringify(f)} is not one of ${formats.join(', ')}`);
        format = f;
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
      case '--zone': {
        const z = value(a, args);
        // a zone's name is a Kubernetes object name (Zone resources), at most 253 characters
        if (!/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(z)) throw new Error(`--zone: ${JSON.stringify(z)} is not a zone name (lower-case letters, digits, '-' and '.')`);
        zone = z;
        break;
      }
      case '--workload-label': {
        const key = value(a, args);
        // a label key: an optional DNS-subdomain prefix and a name of at most 63 characters
        if (!/^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(key)) {
          throw new Error(`--workload-label: ${JSON.stringify(key)} is not a label key (e.g. app.kubernetes.io/name)`);
        }
        workloadLabels.push(key);
        break;
      }
      case '--as-injected':
        asInjected = true;
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
      command,
      zone,
      workloadLabels,
      asInjected,
    },
  };
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
