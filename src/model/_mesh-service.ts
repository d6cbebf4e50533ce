import { meshServicePortName } from '../kuma/_addresses';
import { isKumaTrue } from '../kuma/_kuma-boolean';
import { KumaLabel, ServiceAnnotation } from '../kuma/well-known';

/*
 * What Kuma's MeshService controller makes of a Kubernetes Service (Kuma 2.9+ zones): one
 * MeshService named after a ClusterIP Service, one per pod for a headless Service, or none. Checked
 * against Kuma's own controller fixtures (test/conformance/, kumahq/kuma
 * pkg/plugins/runtime/k8s/controllers/testdata/meshservice, 2.14 and 3.0-dev) and meshservice_controller.go@v2.14.3.
 */

/** One port of a predicted MeshService. */
export interface PredictedMeshServicePort {
  /** The Service port's name, or its number: what `sectionName` matches. */
  readonly name: string;
  readonly port: number;
  readonly targetPort?: number | string;
  /** The Service port's `appProtocol`, `tcp` when it has none. */
  readonly appProtocol: string;
}

/** A MeshService Kuma generates. */
export interface PredictedMeshService {
  /** Its name: the Service's; for a headless Service, one per pod with a name Kuma hashes (undefined). */
  readonly name?: string;
  readonly namespace: string;
  /** The labels Kuma sets (it also copies the Service's own labels). */
  readonly labels: Record<string, string>;
  readonly ports: PredictedMeshServicePort[];
  /** `spec.selector` for a ClusterIP Service (a headless one selects its pod by `dataplaneRef`). */
  readonly selector?: any;
  /** For a headless Service, the pod it stands for. */
  readonly pod?: string;
}

/** The cluster facts the controller reads. */
export interface MeshServiceContext {
  /** The Service's Namespace object, if known. */
  readonly namespace?: any;
  /** The Mesh objects by name. */
  readonly meshes: ReadonlyMap<string, any>;
  /** The pods behind the Service (its EndpointSlices'), for gateway pods and headless Services. */
  readonly pods: any[];
  /** Whether inbound tags are on (2.x default): MeshServices then select Dataplanes by tags. */
  readonly inboundTags: boolean;
  /** Whether the mesh's `meshServices.mode` decides (2.x); Kuma 3.x always generates them. */
  readonly meshServicesMode: boolean;
}

/**
 * The MeshServices Kuma generates for `service`, and why none when it generates none.
 */
export function predictMeshServices(service: any, ctx: MeshServiceContext): { meshServices: PredictedMeshService[]; reason?: string } {
  const none = (reason: string) => ({ meshServices: [], reason });
  const meta = service.metadata ?? {};
  const annotations = meta.annotations ?? {};
  if (ctx.namespace === undefined) return none('its Namespace does not exist');
  if (annotations['kuma.io/gateway'] !== undefined) return none('it is annotated kuma.io/gateway');
  if (isKumaTrue(annotations[ServiceAnnotation.KUMA_IGNORE])) return none('it is annotated kuma.io/ignore');
  if (ctx.pods.some((p) => p.metadata?.annotations?.['kuma.io/gateway'] !== undefined)) return none('its pods are a gateway (kuma.io/gateway)');
  const clusterIP = service.spec?.clusterIP;
  if (service.spec?.type === 'ExternalName' || clusterIP === undefined || clusterIP === '') return none('it has no cluster IP');
  const meshLabel = meta.labels?.[KumaLabel.MESH];
  const injected = isKumaTrue(ctx.namespace.metadata?.labels?.[KumaLabel.SIDECAR_INJECTION]);
  if (meshLabel === undefined && !injected) return none('neither it nor its Namespace is in a mesh');
  const mesh = meshLabel ?? ctx.namespace.metadata?.labels?.[KumaLabel.MESH] ?? 'default';
  const meshObj = ctx.meshes.get(mesh);
  if (meshObj === undefined) return none(`its Mesh ${mesh} does not exist`);
  if (ctx.meshServicesMode && (meshObj.spec?.meshServices?.mode ?? 'Disabled') === 'Disabled') return none(`Mesh ${mesh} runs meshServices.mode Disabled`);

  const ports: PredictedMeshServicePort[] = (service.spec?.ports ?? [])
    .filter((p: any) => (p.protocol ?? 'TCP') === 'TCP')
    .map((p: any) => ({
      name: meshServicePortName(p),
      port: p.port,
      ...p.targetPort === undefined ? {} : { targetPort: p.targetPort },
      appProtocol: p.appProtocol ?? 'tcp',
    }));
  const headless = clusterIP === 'None';
  const labels = {
    [KumaLabel.MESH]: mesh,
    'k8s.kuma.io/service-name': meta.name,
    'k8s.kuma.io/is-headless-service': String(headless),
    'kuma.io/managed-by': 'k8s-controller',
  };
  if (headless) {
    return {
      meshServices: ctx.pods.map((pod) => ({
        namespace: meta.namespace,
        pod: pod.metadata?.name,
        ports,
        labels,
      })),
    };
  }
  const selectorLabels = { ...service.spec?.selector, [KumaLabel.NAMESPACE]: meta.namespace };
  return {
    meshServices: [{
      name: meta.name,
      namespace: meta.namespace,
      labels,
      ports,
      selector: ctx.inboundTags ? { dataplaneTags: selectorLabels } : { dataplaneLabels: { matchLabels: selectorLabels } },
    }],
  };
}
