import { classesServedBy, classOf } from '../../model/_route-owners';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

/*
 * KUMA023: an Ingress whose class nothing in the set serves, when the set declares its classes and
 * has a delegated gateway (routes of a set without one are not Kuma's business).
 */

export const KUMA023: RuleDefinition = {
  id: 'KUMA023',
  name: 'ingress-class-unserved',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'An Ingress names an ingress class that is not among the IngressClasses of the set and that no controller of the set serves, while the set has a delegated gateway: no gateway of these files routes it.',
  rationale: 'Kubernetes hands an Ingress only to the controller of its class, so an Ingress whose class no IngressClass or controller of the set serves is routed by none of these files\' gateways, typically a class left over from a move between controllers.',
  restsOn: 'Reads each Ingress\'s class (`spec.ingressClassName`, the `kubernetes.io/ingress.class` annotation, or the set\'s default IngressClass), the set\'s IngressClasses and the classes its pods declare (Kong\'s `CONTROLLER_INGRESS_CLASS`, ingress-nginx\'s `--ingress-class`, Traefik\'s `--providers.kubernetesingress.ingressclass`). Runs on every `--kuma-version`, only when the set has a delegated gateway and at least one IngressClass; an Ingress without a class is left alone, and a controller installed elsewhere may still serve the class.',
  fix: 'Set `spec.ingressClassName` to the class of the gateway that should route the Ingress, or add the missing IngressClass.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class',
  ],
  check: (ctx, report) => {
    const { index } = ctx;
    if (ctx.gateways.length === 0) return;
    const served = new Set(index.pods.flatMap((p) => classesServedBy(p)));
    // KUMA023: the set declares its IngressClasses, and an Ingress names another one.
    if (index.ingressClasses.size > 0) {
      const known = [...index.ingressClasses.keys()].sort();
      for (const ing of index.ingresses) {
        const cls = classOf(index, ing.obj);
        if (cls === undefined || index.ingressClasses.has(cls.name) || served.has(cls.name)) continue;
        report(ing,
          `names ingress class ${cls.name} (${cls.how}), but the set's IngressClasses are ${known.join(', ')} and none of its delegated gateways serves ${cls.name}: no controller of these files routes this Ingress (unless one installed elsewhere serves ${cls.name})`,
          `Set spec.ingressClassName to the class of the gateway that should route it (${known.join(', ')}), or add IngressClass ${cls.name}.`, { at: cls.how === 'spec.ingressClassName' ? ['spec', 'ingressClassName'] : cls.how === 'the default IngressClass' ? undefined : ['metadata', 'annotations', cls.how] });
      }
    }
  },
};
