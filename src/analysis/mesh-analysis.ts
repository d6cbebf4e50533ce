import { invalid } from '../_validation';
import { KumaVersion } from '../kuma-version';
import { MeshServicesMode } from '../mesh';
import { rules } from './_load-rules';
import { Manifest, ManifestIndex } from './_manifests';
import type { RawFinding } from './_rules';
import { MeshFinding, MeshRule } from './finding';

/** Options of `MeshAnalysis.analyze()`. */
export interface MeshAnalysisOptions {
  /**
   * The Kuma version the manifests target.
   *
   * @default KumaVersion.DEFAULT
   */
  readonly version?: KumaVersion;

  /**
   * The mesh's services mode.
   *
   * @default - from the Mesh named "default" among the manifests, if any
   */
  readonly meshServicesMode?: MeshServicesMode;

  /**
   * Rule ids to skip.
   *
   * @default - none
   */
  readonly ignore?: string[];
}

/**
 * Kuma's view of a whole set of manifests: the mistakes only visible across objects (a Service
 * without service-upstream whose namespace Kuma will not annotate, a pod opting in to injection
 * in an unlabelled namespace, the identity Kuma will give a gateway, ...). It reads plain objects,
 * so it runs on a cdk8s app (`MeshAnalyzer`) and on YAML files (`cdk8s-kuma lint`) alike.
 */
export class MeshAnalysis {
  /** The rule catalogue. */
  public static get rules(): MeshRule[] {
    return rules().RULES.map((r) => ({ ...r }));
  }

  /** Analyzes manifests (plain Kubernetes objects). */
  public static analyze(manifests: any[], options: MeshAnalysisOptions = {}): MeshFinding[] {
    return rules().withoutFixes(MeshAnalysis._analyze(manifests.map((obj) => ({ obj })), options));
  }

  /** @internal */
  public static _analyze(manifests: Manifest[], options: MeshAnalysisOptions): RawFinding[] {
    const { analyze, RULES } = rules();
    const ignore = new Set(options.ignore ?? []);
    for (const id of ignore) {
      if (!RULES.some((r) => r.id === id)) {
        throw invalid('MeshAnalysis', 'ignore', id, 'is not a rule id', `Use one of ${RULES.map((r) => r.id).join(', ')}.`);
      }
    }
    const findings = analyze(new ManifestIndex(manifests), {
      version: options.version ?? KumaVersion.DEFAULT,
      meshServicesMode: options.meshServicesMode,
    });
    return findings.filter((f) => !ignore.has(f.ruleId));
  }

  private constructor() {}
}
