import { RuleContext } from './rule';
import { Manifest } from '../../model/_manifests';

/** A `kuma.io/v1alpha1` object of the set, with its spec. */
export interface KumaObject {
  readonly m: Manifest;
  readonly o: any;
  readonly spec: any;
}

/** The set's `kuma.io/v1alpha1` objects (what the 3.x migration rules read), computed once. */
export function kumaObjects(ctx: RuleContext): KumaObject[] {
  return ctx.shared('kuma-objects', () => ctx.index.manifests.flatMap((m) => {
    const o = m.obj;
    if (o === null || typeof o !== 'object' || String(o.apiVersion) !== 'kuma.io/v1alpha1') return [];
    return [{ m, o, spec: o.spec ?? {} }];
  }));
}

/** Its policies and other non-Mesh objects, where Kuma 3.x policies apply (permissions by rules). */
export function kumaPolicies3x(ctx: RuleContext): KumaObject[] {
  return ctx.caps.permissionRules ? kumaObjects(ctx).filter((k) => k.o.kind !== 'Mesh') : [];
}
