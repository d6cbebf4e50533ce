import { IConstruct } from 'constructs';
import { writeAppMetadataAtSynth } from './_app-metadata';
import { invalid } from '../private/_validation';

const VERSION_OF = new WeakMap<IConstruct, KumaVersion>();
const READ = new WeakSet<IConstruct>();

// Sources: kumahq/kuma release tags 2.6.0 to v2.14.3 and the 3.0 development commit 348b6528bc;
// kumahq/kuma UPGRADE.md@348b6528bc ("Upgrade to `3.0.0`")
/**
 * The Kuma (Kong Mesh) version an app or chart targets. Constructs whose YAML differs by version
 * read it from the nearest scope that set one (`KumaVersion.use`), else `KumaVersion.DEFAULT`.
 *
 * Supported: 2.6 to 2.14, and 3.0.
 *
 * @example
 * const app = new App();
 * KumaVersion.use(app, KumaVersion.V3_0);
 */
export class KumaVersion {
  public static readonly V2_6 = new KumaVersion(2, 6);
  public static readonly V2_7 = new KumaVersion(2, 7);
  public static readonly V2_8 = new KumaVersion(2, 8);
  public static readonly V2_9 = new KumaVersion(2, 9);
  public static readonly V2_10 = new KumaVersion(2, 10);
  public static readonly V2_11 = new KumaVersion(2, 11);
  public static readonly V2_12 = new KumaVersion(2, 12);
  public static readonly V2_13 = new KumaVersion(2, 13);
  public static readonly V2_14 = new KumaVersion(2, 14);
  public static readonly V3_0 = new KumaVersion(3, 0);

  /** The newest 2.x release, whose CRDs this library ships: 2.14. */
  public static readonly DEFAULT = KumaVersion.V2_14;

  /** Every supported version, oldest first. */
  public static get supported(): KumaVersion[] {
    return [
      KumaVersion.V2_6, KumaVersion.V2_7, KumaVersion.V2_8, KumaVersion.V2_9, KumaVersion.V2_10, KumaVersion.V2_11,
      KumaVersion.V2_12, KumaVersion.V2_13, KumaVersion.V2_14, KumaVersion.V3_0,
    ];
  }

  /**
   * A version from its text, `"2.14"` or a patch release such as `"2.14.3"`.
   */
  public static parse(version: string): KumaVersion {
    const m = /^v?(\d+)\.(\d+)(\.\d+)?$/.exec(version);
    const found = m ? KumaVersion.supported.find((v) => v.major === Number(m[1]) && v.minor === Number(m[2])) : undefined;
    if (!found) {
      throw invalid('KumaVersion.parse()', 'version', version, 'is not a supported Kuma version', `Use one of ${KumaVersion.supported.join(', ')}.`);
    }
    return found;
  }

  /**
   * Makes `scope` and everything below it target `version`. Set it before creating the constructs
   * that read it: a scope whose constructs already read a version is refused.
   */
  public static use(scope: IConstruct, version: KumaVersion): void {
    const reader = scope.node.findAll().find((c) => READ.has(c));
    if (reader !== undefined && KumaVersion.lookup(reader) !== version) {
      throw invalid(scope, 'KumaVersion', version.toString(), `is set after ${reader.node.path} already used ${KumaVersion.lookup(reader)}`,
        'Call KumaVersion.use() right after creating the App or Chart, before the constructs.');
    }
    VERSION_OF.set(scope, version);
    // the plugin checks the manifests against this version, whatever constructs the app holds
    writeAppMetadataAtSynth(scope.node.root, (c) => KumaVersion.of(c).toString());
  }

  /**
   * The version `scope` targets: the nearest one set with `use()`, else `DEFAULT`.
   */
  public static of(scope: IConstruct): KumaVersion {
    READ.add(scope);
    return KumaVersion.lookup(scope);
  }

  private static lookup(scope: IConstruct): KumaVersion {
    for (const s of [...scope.node.scopes].reverse()) {
      const v = VERSION_OF.get(s);
      if (v !== undefined) return v;
    }
    return KumaVersion.DEFAULT;
  }

  private constructor(
    /** The major version. */
    public readonly major: number,
    /** The minor version. */
    public readonly minor: number) {}

  /** Whether this version is `major.minor` or newer. */
  public atLeast(major: number, minor: number): boolean {
    return this.major > major || (this.major === major && this.minor >= minor);
  }

  /** `major.minor`. */
  public toString(): string {
    return `${this.major}.${this.minor}`;
  }
}
