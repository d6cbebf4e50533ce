import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { jsonPointer } from './_json-pointer';
import { apiObjectBehind } from './_metadata';
import { nameLabelsOf } from './_stable-labels';
import { invalid } from './_validation';

/** The workload kinds whose pod template a delegated gateway can be made of. */
const POD_TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/**
 * The pod template of a workload, read and patched the same way whether the workload is a
 * cdk8s-plus construct or an `ApiObject` (for example from `Include` of `helm template` output).
 */
export abstract class PodTemplate {
  /**
   * The pod template of `workload`: a cdk8s-plus-28 Deployment, StatefulSet or DaemonSet, an
   * apps/v1 `ApiObject` of one of those kinds, or a construct whose default child is one (a
   * workload of another cdk8s-plus major, such as cdk8s-plus-33, whose classes are not
   * cdk8s-plus-28's: it is read and patched through its ApiObject).
   */
  public static of(workload: IConstruct): PodTemplate {
    if (workload instanceof kplus.Deployment || workload instanceof kplus.StatefulSet || workload instanceof kplus.DaemonSet) {
      return new PlusPodTemplate(workload);
    }
    const obj = apiObjectBehind(workload);
    if (obj === undefined || obj.apiVersion !== 'apps/v1' || !POD_TEMPLATE_KINDS.includes(obj.kind)) {
      const what = obj ? `${obj.apiVersion}/${obj.kind}` : workload.constructor.name;
      throw invalid(workload, 'workload', what, 'is not a workload whose pods can become a delegated gateway',
        'Pass a cdk8s-plus Deployment, StatefulSet or DaemonSet (of any cdk8s-plus major), or the apps/v1 ApiObject of one (for example from Include).');
    }
    return new RawPodTemplate(obj);
  }

  /** The construct whose path names the workload in messages. */
  public abstract readonly scope: IConstruct;
  /** The workload's namespace, if the manifest sets one (directly or through its Chart). */
  public abstract readonly namespace: string | undefined;
  /** Annotations on the workload object itself (not the pod template). */
  public abstract workloadAnnotations(): Record<string, string>;
  /** Pod template labels as they are now. */
  public abstract labels(): Record<string, string>;
  /** Pod template annotations as they are now. */
  public abstract annotations(): Record<string, string>;
  public abstract setLabel(key: string, value: string): void;
  public abstract setAnnotation(key: string, value: string): void;
  /** Every port declared by the pod's containers and init containers. */
  public abstract containerPorts(): number[];
  /** The images of the pod's containers (not the init containers). */
  public abstract containerImages(): string[];
  /** The names of the pod's volumes. */
  public abstract volumeNames(): string[];
  /** The containers (not init containers) that set `securityContext.runAsUser`, with the UID. */
  public abstract containerUids(): { name: string; uid: number }[];
  /** `spec.automountServiceAccountToken` of the pod, undefined when not set. */
  public abstract automountServiceAccountToken(): boolean | undefined;
  /** The pod-level `securityContext.runAsNonRoot`, undefined when not set. */
  public abstract podRunAsNonRoot(): boolean | undefined;
  /** The labels the workload selects its pods by (`spec.selector.matchLabels`). */
  public abstract selectorLabels(): Record<string, string>;
  /** The labels of the pod template, as far as they are known. */
  public abstract podLabels(): Record<string, string>;
  /** The pod's service account (Kubernetes' default: "default"). */
  public abstract serviceAccountName(): string;
}

class PlusPodTemplate extends PodTemplate {
  public readonly scope: IConstruct;
  public readonly namespace: string | undefined;

  constructor(private readonly workload: kplus.Deployment | kplus.StatefulSet | kplus.DaemonSet) {
    super();
    this.scope = workload;
    this.namespace = workload.metadata.namespace;
  }

  public workloadAnnotations(): Record<string, string> {
    return this.workload.metadata.toJson().annotations ?? {};
  }

  public labels(): Record<string, string> {
    return this.workload.podMetadata.toJson().labels ?? {};
  }

  public annotations(): Record<string, string> {
    return this.workload.podMetadata.toJson().annotations ?? {};
  }

  public setLabel(key: string, value: string): void {
    this.workload.podMetadata.addLabel(key, value);
  }

  public setAnnotation(key: string, value: string): void {
    this.workload.podMetadata.addAnnotation(key, value);
  }

  public containerPorts(): number[] {
    return [...this.workload.containers, ...this.workload.initContainers].flatMap((c) => c.ports.map((p) => p.number));
  }

  public containerImages(): string[] {
    return this.workload.containers.map((c) => c.image);
  }

  public volumeNames(): string[] {
    return this.workload.volumes.map((v) => v.name);
  }

  public containerUids(): { name: string; uid: number }[] {
    return this.workload.containers.filter((c) => c.securityContext.user !== undefined)
      .map((c) => ({ name: c.name ?? '', uid: c.securityContext.user! }));
  }

  public automountServiceAccountToken(): boolean | undefined {
    return this.workload.automountServiceAccountToken;
  }

  public podRunAsNonRoot(): boolean | undefined {
    return this.workload.securityContext.ensureNonRoot;
  }

  public selectorLabels(): Record<string, string> {
    return this.workload.matchLabels;
  }

  public podLabels(): Record<string, string> {
    return nameLabelsOf([this.workload.podMetadata]);
  }

  public serviceAccountName(): string {
    return this.workload.serviceAccount?.name ?? 'default';
  }
}

/**
 * A raw manifest: values are read from the object as it resolves now (`toJson()` applies the
 * JSON patches added so far), and changes are JSON patches on the pod template, so everything
 * else stays as the user gave it.
 */
class RawPodTemplate extends PodTemplate {
  public readonly scope: IConstruct;
  public readonly namespace: string | undefined;

  constructor(private readonly obj: ApiObject) {
    super();
    this.scope = obj;
    this.namespace = obj.metadata.namespace;
  }

  public workloadAnnotations(): Record<string, string> {
    return this.obj.toJson().metadata?.annotations ?? {};
  }

  public labels(): Record<string, string> {
    return { ...this.template().metadata?.labels };
  }

  public annotations(): Record<string, string> {
    return { ...this.template().metadata?.annotations };
  }

  public setLabel(key: string, value: string): void {
    this.patch('labels', key, value);
  }

  public setAnnotation(key: string, value: string): void {
    this.patch('annotations', key, value);
  }

  public containerImages(): string[] {
    const containers = this.template().spec?.containers;
    return (Array.isArray(containers) ? containers : []).map((c: any) => String(c?.image ?? ''));
  }

  public containerPorts(): number[] {
    const spec = this.template().spec ?? {};
    return [...spec.containers ?? [], ...spec.initContainers ?? []]
      .flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort));
  }

  public volumeNames(): string[] {
    return (this.template().spec?.volumes ?? []).map((v: any) => v.name);
  }

  public containerUids(): { name: string; uid: number }[] {
    return (this.template().spec?.containers ?? []).filter((c: any) => c.securityContext?.runAsUser !== undefined)
      .map((c: any) => ({ name: c.name, uid: c.securityContext.runAsUser }));
  }

  public automountServiceAccountToken(): boolean | undefined {
    return this.template().spec?.automountServiceAccountToken;
  }

  public podRunAsNonRoot(): boolean | undefined {
    return this.template().spec?.securityContext?.runAsNonRoot;
  }

  public selectorLabels(): Record<string, string> {
    return { ...this.obj.toJson().spec?.selector?.matchLabels };
  }

  public podLabels(): Record<string, string> {
    return { ...this.template().metadata?.labels };
  }

  public serviceAccountName(): string {
    const spec = this.template().spec ?? {};
    return spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  }

  private template(): any {
    return this.obj.toJson().spec?.template ?? {};
  }

  private patch(field: 'labels' | 'annotations', key: string, value: string): void {
    const metadata = this.template().metadata;
    if (metadata === undefined) this.obj.addJsonPatch(JsonPatch.add('/spec/template/metadata', {}));
    if (metadata?.[field] === undefined) this.obj.addJsonPatch(JsonPatch.add(`/spec/template/metadata/${field}`, {}));
    this.obj.addJsonPatch(JsonPatch.add(jsonPointer(['spec', 'template', 'metadata', field, key]), value));
  }
}
