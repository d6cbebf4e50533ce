import { IConstruct } from 'constructs';
import { lookup } from './_registry';
import { IMesh, Mesh, MeshServicesMode } from './mesh';

/**
 * The services mode of a mesh: from the given `IMesh`, else from the `Mesh` of this app with that
 * name; undefined when neither is known.
 */
export function meshServicesModeOf(scope: IConstruct, mesh: IMesh | undefined, meshName: string): { name: string; mode?: MeshServicesMode } {
  const found = mesh ?? lookup<Mesh>(scope, 'Mesh', meshName);
  return { name: found?.name ?? meshName, mode: found?.meshServicesMode };
}
