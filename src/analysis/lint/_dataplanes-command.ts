import * as fs from 'fs';
import { packageVersion } from './_args';
import { CommandIo, loadInputs } from './_inputs';
import { capabilitiesOf } from '../../kuma/_kuma-capabilities';
import { predictDataplanes } from '../../model/_dataplane-object';
import { ManifestIndex } from '../../model/_manifests';
import { dataplanesText, DEFAULT_ZONE, sourceSuffix } from '../_dataplanes-text';

/*
 * `cdk8s-kuma dataplanes`: the Dataplanes Kuma will make of a set of manifests
 * (model/_dataplane-object.ts), read with the lint's inputs, flags and config file (_inputs.ts).
 */

/** The `dataplanes` command: returns the exit status. */
export function dataplanes(argv: string[], io: CommandIo): number {
  const loaded = loadInputs(argv, 'dataplanes', io);
  if (typeof loaded === 'number') return loaded;
  const { options, input, problems } = loaded;
  const caps = capabilitiesOf(options.version);
  const zone = options.zone ?? DEFAULT_ZONE;
  const declared = new Map(Object.entries(options.namespaceLabels));
  const { predictions, notes } = predictDataplanes(new ManifestIndex(input.located.manifests, declared), {
    caps,
    zone,
    mode: 'zone',
    workloadLabels: options.workloadLabels,
    asInjected: options.asInjected,
  });
  if (options.workloadLabels.length > 0 && !caps.dataplaneLabels?.workload) {
    notes.unshift(`--workload-label: Kuma ${options.version} labels no workload (kuma.io/workload is 2.13 on), so it changes nothing`);
  }
  for (const n of notes) io.stderr.write(`cdk8s-kuma: note: ${n}\n`);
  const report = dataplanesText(predictions, options.format === 'json' ? 'json' : 'yaml', { version: options.version, zone, tool: packageVersion() });
  if (options.output === undefined) {
    io.stdout.write(report);
  } else {
    try {
      fs.writeFileSync(options.output, report);
    } catch (e: any) {
      io.stderr.write(`cdk8s-kuma: --output ${options.output}: cannot be written (${e.code ?? e.message})\n`);
      return 2;
    }
    const count = predictions.filter((p) => p.dataplane).length;
    io.stderr.write(`cdk8s-kuma: ${count} Dataplane${count === 1 ? '' : 's'}; written to ${options.output}\n`);
  }
  // a pod Kuma makes no Dataplane of is reported (its error), and so is bad input
  for (const p of predictions) if (p.error !== undefined) io.stderr.write(`cdk8s-kuma: ${p.error}${sourceSuffix(p.owner)}\n`);
  return problems.length > 0 || predictions.some((p) => p.error !== undefined) ? 2 : 0;
}
