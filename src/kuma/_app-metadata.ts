import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';

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

/**
 * Writes the file for `app` after its synth, when cdk8s-cli records construct metadata; `versionOf`
 * is KumaVersion's (its callers pass it: this module imports nothing of the library, so that
 * KumaVersion itself can write the file).
 */
export function writeAppMetadata(app: App, versionOf: (chart: App['charts'][number]) => string): void {
  if ((app as unknown as { recordConstructMetadata?: boolean }).recordConstructMetadata !== true) return;
  const versions = [...new Set(app.charts.map(versionOf))].sort();
  fs.mkdirSync(app.outdir, { recursive: true });
  fs.writeFileSync(path.join(app.outdir, APP_METADATA_FILE), JSON.stringify({ version: '1.0.0', kumaVersions: versions }, undefined, 2) + '\n');
}
