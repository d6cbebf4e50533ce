import { RuleContext } from './rule';
import { PodOwner, podTemplateOf } from '../../model/_manifests';

/** The pods Kuma injects (meshed pods and delegated gateways), with their pod spec: what KUMA028 and KUMA029 check. */
export function injectedPods(ctx: RuleContext): Array<{ readonly pod: PodOwner; readonly spec: any }> {
  return ctx.shared('injected-pods', () => ctx.index.pods.flatMap((pod) => {
    if (ctx.index.meshed(pod) !== true && !ctx.index.isGateway(pod, ctx.caps)) return [];
    const spec = podTemplateOf(pod.manifest.obj)?.spec;
    return spec === null || typeof spec !== 'object' ? [] : [{ pod, spec }];
  }));
}
