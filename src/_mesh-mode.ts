import { IConstruct } from 'constructs';
import { IMesh, Mesh, MeshServicesMode } from './mesh';

/**
 * The services mode of a mesh: from the given `IMesh`, else from the `Mesh` of this app with that
 * name; undefined when neither is known.
 */
export function meshServicesModeOf(scope: IConstruct, mesh: IMesh | undefined, meshName: string): { name: string; mode?: MeshServicesMode } {
  const found = mesh ?? scope.node.root.node.findAll().find((c): c is Mesh => c instanceof Mesh && c.name === meshName);
  return { name: found?.name ?? meshName, mode: found?.meshServicesMode };
}
