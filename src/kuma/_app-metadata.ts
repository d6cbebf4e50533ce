import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';

/*
 * What an app tells the validation plugin (MeshValidation) beside its manifests: the Kuma versions
 * its charts target (KumaVersion.use()), so that `cdk8s synth` never checks the manifests against
 * another version than the one they were written for. Written only when cdk8s-cli runs validation
 * plugins (cdk8s App's recordConstructMetadata, set by cdk8s-cli's CDK8S_RECORD_CONSTRUCT_METADATA),
 * next to the construct-metadata.json that cdk8s writes in that case; kubectl and GitOps tools that
 * read the folder see only what the synth without plugins leaves.
 */

/** The file's name, in the app's output folder. */
export const APP_METADATA_FILE = 'cdk8s-kuma-metadata.json';

/** The apps whose `synth` writes the file. */
const WRITING = new WeakSet<App>();

/**
 * Makes the app `root` write the file after each `synth()`, once however many callers ask:
 * KumaVersion.use() (an app of cdk8s-plus and L1 objects has no construct of this library) and the
 * synth session of the library's constructs. `versionOf` is KumaVersion's (its callers pass it:
 * this module imports nothing of the library, so that KumaVersion itself can ask).
 */
export function writeAppMetadataAtSynth(root: IConstruct, versionOf: (chart: App['charts'][number]) => string): void {
  if (!(root instanceof App) || WRITING.has(root)) return;
  WRITING.add(root);
  const synth = root.synth;
  Object.defineProperty(root, 'synth', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function (this: App) {
      synth.apply(this);
      writeAppMetadata(this, versionOf);
    },
  });
}

/** Writes the file for `app`, when cdk8s-cli records construct metadata. */
function writeAppMetadata(app: App, versionOf: (chart: App['charts'][number]) => string): void {
  if ((app as unknown as { recordConstructMetadata?: boolean }).recordConstructMetadata !== true) return;
  const versions = [...new Set(app.charts.map(versionOf))].sort();
  fs.mkdirSync(app.outdir, { recursive: true });
  fs.writeFileSync(path.join(app.outdir, APP_METADATA_FILE), JSON.stringify({ version: '1.0.0', kumaVersions: versions }, undefined, 2) + '\n');
}
