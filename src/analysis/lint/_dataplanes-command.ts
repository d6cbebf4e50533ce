import { CommandIo, loadInputs, writeReport } from './_inputs';
import { sourceSuffix } from '../_dataplanes-text';
import { MeshAnalysis } from '../mesh-analysis';

/*
 * `cdk8s-kuma dataplanes`: the Dataplanes Kuma will make of a set of manifests
 * (model/_dataplane-object.ts), read with the lint's inputs, flags and config file (_inputs.ts).
 */

/** The `dataplanes` command: returns the exit status. */
export function dataplanes(argv: string[], io: CommandIo): number {
  const loaded = loadInputs(argv, 'dataplanes', io);
  if (typeof loaded === 'number') return loaded;
  const { options, input, problems } = loaded;
  const { predictions, notes, caps, text } = MeshAnalysis._dataplanes(input.located.manifests, {
    version: options.version,
    zone: options.zone,
    workloadLabels: options.workloadLabels,
    namespaceLabels: options.namespaceLabels,
  }, options.asInjected);
  if (options.workloadLabels.length > 0 && !caps.dataplaneLabels?.workload) {
    notes.unshift(`--workload-label: Kuma ${options.version} labels no workload (kuma.io/workload is 2.13 on), so it changes nothing`);
  }
  for (const n of notes) io.stderr.write(`cdk8s-kuma: note: ${n}\n`);
  const count = predictions.filter((p) => p.dataplane).length;
  if (!writeReport(io, options.output, text(options.format === 'json' ? 'json' : 'yaml'), () => `${count} Dataplane${count === 1 ? '' : 's'}; written to ${options.output}`)) {
    return 2;
  }
  // a pod Kuma makes no Dataplane of is reported (its error), and so is bad input
  for (const p of predictions) if (p.error !== undefined) io.stderr.write(`cdk8s-kuma: ${p.error}${sourceSuffix(p.owner)}\n`);
  return problems.length > 0 || predictions.some((p) => p.error !== undefined) ? 2 : 0;
}
