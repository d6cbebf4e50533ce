import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { addValidationOncePerSynth } from '../kuma/_synth-session';
import { ServiceAnnotation } from '../kuma/well-known';
import { addAnnotationOnce, annotationOf, apiObjectOf, apiObjectOfKind } from '../private/_metadata';
import { invalidMessage } from '../private/_validation';

const ANNOTATED = Symbol.for('cdk8s-kuma.ServiceUpstream');

// Sources: kumahq/kuma pkg/plugins/runtime/k8s/controllers/service_controller.go@v2.14.3; kumahq/kuma#11994, kumahq/kuma#6636;
// https://kuma.io/docs/2.14.x/using-mesh/managing-ingress-traffic/delegated/
/**
 * Makes ingress controllers send a Service's traffic to its ClusterIP, where the delegated
 * gateway's sidecar picks it up, instead of to the pod endpoints, which bypass the mesh.
 *
 * Kuma adds these annotations itself only in namespaces labelled
 * `kuma.io/sidecar-injection=enabled`; with per-workload injection they must be written by hand
 * (kumahq/kuma#11994). Without them a gateway sends plaintext to pod IPs and gets 502s
 * once mTLS is on.
 *
 * @see https://developer.konghq.com/mesh/delegated-gateways/
 */
export class ServiceUpstream {
  /** The value both annotations take. Kong requires the quotes: it must be the string "true". */
  public static readonly VALUE = 'true';

  /**
   * The two annotations, in the order they are written; the analysis checks and `lint --fix`
   * writes the same pair.
   * @internal
   */
  public static readonly _KEYS = [ServiceAnnotation.INGRESS_SERVICE_UPSTREAM, ServiceAnnotation.NGINX_SERVICE_UPSTREAM];

  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/metadata/annotations.go@v2.14.3 (IngressServiceUpstream, NginxIngressServiceUpstream);
  // https://kuma.io/docs/2.14.x/using-mesh/managing-ingress-traffic/delegated/
  /**
   * Adds `ingress.kubernetes.io/service-upstream: "true"` and
   * `nginx.ingress.kubernetes.io/service-upstream: "true"` to a Service that this library did not
   * create: a cdk8s-plus `Service`, or an `ApiObject` of kind Service (for example one loaded with
   * `Include`).
   *
   * A value the Service already carries must be "true"; any other value is an error, never
   * overwritten. An `ExternalName` Service is refused at synth: Kuma never annotates those and
   * they have no endpoints to bypass.
   *
   * @param service a cdk8s-plus `Service` or an `ApiObject` of kind Service.
   */
  public static annotate(service: IConstruct): void {
    const obj = apiObjectOfKind(service, 'v1', 'Service', 'service', {
      notAnObject: ServiceUpstream.NOT_A_SERVICE,
      problem: 'is not a Service, so ingress controllers never read service-upstream on it',
      fix: 'Pass the v1 Service that the ingress or route points at.',
    });
    for (const key of ServiceUpstream._KEYS) {
      addAnnotationOnce(service, obj, key, ServiceUpstream.VALUE, 'with it the gateway would send to pod IPs and bypass the mesh',
        'Remove the annotation or set it to "true".');
    }
    if ((obj as any)[ANNOTATED]) return;
    (obj as any)[ANNOTATED] = true;
    addValidationOncePerSynth(obj, () => ServiceUpstream.validate(service, obj));
  }

  /** Whether `annotate()` was applied to this Service (or its ApiObject). */
  public static isAnnotated(service: IConstruct): boolean {
    return (ServiceUpstream.apiObjectOf(service) as any)[ANNOTATED] === true;
  }

  private static readonly NOT_A_SERVICE = 'Pass a cdk8s-plus Service or the ApiObject of a Service.';

  private static apiObjectOf(service: IConstruct): ApiObject {
    return apiObjectOf(service, 'service', ServiceUpstream.NOT_A_SERVICE);
  }

  private static validate(service: IConstruct, obj: ApiObject): string[] {
    let type: string | undefined;
    if (service instanceof kplus.Service) {
      type = service.type; // no need to serialize the whole object
    } else {
      try {
        type = obj.toJson().spec?.type;
      } catch {
        return []; // the object cannot be serialized; synth reports why
      }
    }
    const errors: string[] = [];
    if (type === 'ExternalName') {
      errors.push(invalidMessage('spec.type', 'ExternalName',
        'cannot take service-upstream: an ExternalName Service has no ClusterIP or endpoints, and Kuma never annotates one',
        'Do not annotate ExternalName Services; point them at a .mesh name instead.'));
    }
    for (const key of ServiceUpstream._KEYS) {
      const value = annotationOf(obj, key);
      if (value !== ServiceUpstream.VALUE) {
        errors.push(invalidMessage(`metadata.annotations["${key}"]`, value,
          'was changed after the Service was annotated for the delegated gateway', 'Leave it at "true".'));
      }
    }
    return errors;
  }

  private constructor() {}
}
