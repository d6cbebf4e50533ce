import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { rules } from './_load-rules';
import { FindingSeverity, MeshFinding } from './finding';
import { MeshAnalysis } from './mesh-analysis';
import { MeshExemption } from './mesh-exemption';
import type { RawFinding } from './rules/rule';
import { TrafficGraphFormat } from './traffic-graph-format';
import { addValidationOncePerSynth } from '../kuma/_synth-session';
import { KumaVersion } from '../kuma/kuma-version';
import { KumaAnnotation } from '../kuma/well-known';
import { KumaControlPlane } from '../mesh/kuma-control-plane';
import { ServiceUpstream } from '../mesh/service-upstream';
import { Manifest, manifestOf } from '../model/_manifests';
import { markAnalyzed } from '../private/_analyzer-present';
import { jsonPointer } from '../private/_json-pointer';
import { PodTemplate } from '../private/_pod-template';
import { invalid, invalidMessage } from '../private/_validation';
import { warn } from '../private/_warnings';

/** Properties of a `MeshAnalyzer`. */
export interface MeshAnalyzerProps {
  /**
   * The severity from which a finding fails synth; findings below it are printed as warnings.
   *
   * @default FindingSeverity.ERROR
   */
  readonly failOn?: FindingSeverity;

  /**
   * Apply the fixes of the fixable rules before checking (those of `MeshAnalysis.rules` whose
   * `fixable` is true: KUMA001, KUMA002, KUMA011, KUMA014, KUMA016, KUMA017, KUMA019, KUMA028,
   * KUMA029, KUMA036, KUMA041): the annotations objects lack, a single gateway's reachable services
   * or backends derived from its routes, the pod settings without which Kuma's sidecar cannot
   * start, and on Kuma 3.x the migration edits. Never on by default: a fix changes objects the
   * user wrote.
   *
   * @default false
   */
  readonly fix?: boolean;

  /**
   * Rule ids to skip.
   *
   * @default - none
   */
  readonly ignore?: string[];

  /**
   * Severities that replace rules' own, by rule id.
   *
   * @default - each rule's own
   */
  readonly severities?: { [ruleId: string]: FindingSeverity };

  /**
   * Findings accepted for the objects they name, each with its reason (objects can also carry the
   * annotation `ignore.cdk8s-kuma/<RULE-ID>: "<reason>"`). Accepted findings neither fail synth nor
   * are fixed.
   *
   * @default - none
   */
  readonly exemptions?: MeshExemption[];

  /**
   * A file to write, at each synth, the Dataplanes Kuma will make of the app's meshed workloads
   * (YAML, each after comments that say what is assumed and left out, as `cdk8s-kuma dataplanes`
   * prints them), e.g. `predictions/kuma-dataplanes.yaml`, relative to the working directory (as
   * `cdk8s.yaml`'s `output` is): a reviewer sees what Kuma will create next to the manifests. It
   * must not be in the app's output directory, where `kubectl apply -f`, Flux and Argo CD would
   * apply these Dataplanes as manifests: Kuma makes them.
   *
   * @default - not written
   */
  readonly dataplanesFile?: string;

  /**
   * The zone the control plane names itself, for `dataplanesFile`'s `kuma.io/zone` labels and tags.
   *
   * @default "default" (a standalone control plane's)
   */
  readonly zone?: string;

  /**
   * A file to write, at each synth, the traffic graph of the app (gateways, routes, Services, the
   * policies on each edge, the findings on what they are about), relative to the working directory,
   * e.g. `dist/kuma-graph.md`. A Mermaid graph in a `.md` file is fenced as a ```mermaid block,
   * which GitHub and GitLab render. A `.json` graph must not be in the app's output directory, where
   * tools that apply manifests would read it.
   *
   * @default - not written
   */
  readonly graphFile?: string;

  /**
   * The format of `graphFile`.
   *
   * @default TrafficGraphFormat.MERMAID
   */
  readonly graphFormat?: TrafficGraphFormat;
}

/**
 * Runs `MeshAnalysis` over every ApiObject of the app at synth, whatever wrote it (this library,
 * cdk8s-plus, L1 classes, `Include`). Add one to the App.
 *
 * @example
 * const app = new App();
 * new MeshAnalyzer(app, 'MeshAnalyzer', { fix: true });
 */
export class MeshAnalyzer extends Construct {
  private readonly props: MeshAnalyzerProps;
  private lastFindings: MeshFinding[] = [];

  constructor(scope: Construct, id: string, props: MeshAnalyzerProps = {}) {
    super(scope, id);
    this.props = props;
    MeshAnalysis._checkOptions({ ignore: props.ignore, severities: props.severities, exemptions: props.exemptions }, this.node.path);
    if (props.graphFormat !== undefined && !Object.values(TrafficGraphFormat).includes(props.graphFormat)) {
      throw invalid(this, 'graphFormat', props.graphFormat, 'is not a TrafficGraphFormat', 'Use TrafficGraphFormat.MERMAID, DOT or JSON.');
    }
    const outdir = path.resolve(App.of(this).outdir);
    for (const [field, file] of [['dataplanesFile', props.dataplanesFile], ['graphFile', props.graphFile]] as const) {
      if (file === undefined) continue;
      if (file.trim() === '') throw invalid(this, field, file, 'is empty', 'Give a file, e.g. "predictions/kuma-dataplanes.yaml".');
      const inside = !path.relative(outdir, path.resolve(file)).startsWith('..') && !path.isAbsolute(path.relative(outdir, path.resolve(file)));
      // kubectl apply -f <dir> reads .json, .yaml and .yml files; Flux and Argo CD read YAML too
      if (inside && (field === 'dataplanesFile' || /\.(ya?ml|json)$/i.test(file))) {
        throw invalid(this, field, file, `is in the app's output directory ${App.of(this).outdir}, where kubectl apply -f, Flux and Argo CD would apply it as manifests`,
          field === 'dataplanesFile' ? 'Write it beside the output directory, e.g. "predictions/kuma-dataplanes.yaml".'
            : 'Write it beside the output directory, e.g. "predictions/kuma-graph.json", or write a Mermaid graph as a .md file.');
      }
    }
    const format = props.graphFormat ?? TrafficGraphFormat.MERMAID;
    if (props.graphFile !== undefined && /\.svg$/i.test(props.graphFile)) {
      throw invalid(this, 'graphFile', props.graphFile, 'is an SVG file, which the analyzer does not draw', 'Draw SVG with the command line (cdk8s-kuma graph --format svg), or write a .md, .mmd, .dot or .json file.');
    }
    if (props.graphFile !== undefined && /\.md$/i.test(props.graphFile) && format !== TrafficGraphFormat.MERMAID) {
      throw invalid(this, 'graphFile', props.graphFile, `is a markdown file, which holds a Mermaid graph, not ${format}`, `Use graphFormat MERMAID, or a .${format} file.`);
    }
    markAnalyzed(this);
    addValidationOncePerSynth(this, () => this.run());
  }

  /** The findings of the last synth. */
  public get findings(): MeshFinding[] {
    return [...this.lastFindings];
  }

  private run(): string[] {
    let { findings, manifests } = this.analyze();
    if (this.props.fix) {
      const fixable = findings.filter((f) => f.autoFix !== undefined);
      for (const f of fixable) this.apply(f);
      if (fixable.length > 0) ({ findings, manifests } = this.analyze());
    }
    this.writePredictions(manifests, findings);
    this.lastFindings = rules().withoutFixes(findings);
    const failOn = this.props.failOn ?? FindingSeverity.ERROR;
    const errors: string[] = [];
    for (const f of findings) {
      const text = invalidMessage(f.ruleId, undefined, `${f.rule}: ${f.object}${f.source ? ` (${f.source})` : ''} ${f.message}`, f.fix);
      if (f.severity === FindingSeverity.ERROR || failOn === FindingSeverity.WARNING) errors.push(text);
      else warn(this, text);
    }
    return errors;
  }

  /** The files `dataplanesFile` and `graphFile` ask for. */
  private writePredictions(manifests: Manifest[], findings: RawFinding[]): void {
    const { dataplanesFile, graphFile } = this.props;
    if (dataplanesFile === undefined && graphFile === undefined) return;
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      fs.writeFileSync(path.resolve(file), text);
    };
    const version = KumaVersion.of(this);
    if (dataplanesFile !== undefined) {
      // the objects as they will be written (after this synth's fixes), whole: a construct's analysis view leaves out what rules do not read
      const written = manifests.map((m) => (m.construct === undefined ? m : { ...m, obj: m.construct.toJson() }));
      write(dataplanesFile, MeshAnalysis._dataplanes(written, { version, zone: this.props.zone }).text());
    }
    if (graphFile !== undefined) {
      const format = this.props.graphFormat ?? TrafficGraphFormat.MERMAID;
      // the manifests the findings were made on: each finding is placed on its own object's node or edge
      const text = MeshAnalysis._graph(manifests, format, { version }, findings);
      write(graphFile, format === TrafficGraphFormat.MERMAID && /\.md$/i.test(graphFile) ? `\`\`\`mermaid\n${text}\`\`\`\n` : text);
    }
  }

  private analyze(): { findings: RawFinding[]; manifests: Manifest[] } {
    const manifests: Manifest[] = [];
    // namespaces imported with their labels (MeshNamespace.fromNamespaceAttributes())
    const declared = new Map<string, Record<string, string>>();
    for (const c of this.node.root.node.findAll()) {
      const labels = typeof (c as any)._declaredLabels === 'function' ? (c as any)._declaredLabels() : undefined;
      if (labels !== undefined) declared.set((c as any).name, labels);
      if (!ApiObject.isApiObject(c)) continue;
      try {
        // the construct path is computed only for the objects a finding names
        manifests.push(manifestOf(c));
      } catch {
        // an object that cannot be serialized is reported by synth itself
      }
    }
    const { ignore, severities, exemptions } = this.props;
    const findings = MeshAnalysis._analyze(manifests, { version: KumaVersion.of(this), ignore, severities, exemptions },
      (m) => m.construct === undefined ? undefined : KumaControlPlane._settingOf(m.construct), declared);
    return { findings, manifests };
  }

  private apply(f: RawFinding): void {
    const fix = f.autoFix!;
    if (fix.kind === 'edit') {
      const obj = fix.target.construct!;
      const current = obj.toJson();
      for (const op of fix.ops) {
        const pointer = jsonPointer(op.path);
        const exists = op.path.reduce<any>((o, k) => (o === undefined || o === null ? undefined : o[k]), current) !== undefined;
        if (op.op === 'delete') obj.addJsonPatch(JsonPatch.remove(pointer));
        else obj.addJsonPatch(exists ? JsonPatch.replace(pointer, op.value) : JsonPatch.add(pointer, op.value));
      }
    } else if (fix.kind === 'service-upstream') {
      ServiceUpstream.annotate(fix.service.construct!);
    } else {
      PodTemplate.of(fix.gateway.manifest.construct!).setAnnotation(KumaAnnotation.REACHABLE_SERVICES, fix.services.join(','));
    }
  }
}
