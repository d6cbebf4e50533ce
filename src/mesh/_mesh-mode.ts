import { IConstruct } from 'constructs';
import { IMesh, Mesh, MeshServicesMode } from './mesh';
import { capabilitiesOf } from '../kuma/_kuma-capabilities';
import { KumaVersion } from '../kuma/kuma-version';
import { lookup } from '../private/_registry';

/**
 * The services mode of a mesh: from the given `IMesh`, else from the `Mesh` of this app with that
 * name; undefined when neither is known.
 */
export function meshServicesModeOf(scope: IConstruct, mesh: IMesh | undefined, meshName: string): { name: string; mode?: MeshServicesMode } {
  const found = mesh ?? lookup<Mesh>(scope, 'Mesh', meshName);
  // Kuma 3.x has no services mode: every mesh behaves as Exclusive.
  if (!capabilitiesOf(KumaVersion.of(scope)).meshServicesModeField) return { name: found?.name ?? meshName, mode: MeshServicesMode.EXCLUSIVE };
  return { name: found?.name ?? meshName, mode: found?.meshServicesMode };
}
