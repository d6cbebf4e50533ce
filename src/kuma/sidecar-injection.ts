import { checkInjectionLabelValue, isKumaTrue } from './_kuma-boolean';

// Sources: kumahq/kuma@v2.14.3 deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml (pods-kuma-injector objectSelector: enabled);
// pkg/plugins/runtime/k8s/metadata/annotations.go (GetEnabled)
/**
 * The values this library writes for the `kuma.io/sidecar-injection` label.
 *
 * Kuma also parses `true`/`false` and the deprecated `yes`/`no`, but only `enabled` is matched by
 * both of Kuma's injector webhooks, so it is the one value to write.
 */
export enum SidecarInjection {
  /** Inject a `kuma-sidecar` into every pod of the namespace (or into this pod). */
  ENABLED = 'enabled',
  // Sources: kumahq/kuma deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml@v2.14.3 (pods-kuma-injector namespaceSelector: Exists)
  /**
   * Inject nothing by default. On a Namespace, single workloads can still opt in with the pod
   * label `kuma.io/sidecar-injection: enabled`: Kuma's pod webhook only requires the namespace
   * to carry the label with *some* value (`operator: Exists`).
   */
  DISABLED = 'disabled',
}

// Sources: kumahq/kuma@v2.14.3 deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml;
// pkg/plugins/runtime/k8s/controllers/service_controller.go
/**
 * What the `kuma.io/sidecar-injection` label of a Namespace makes Kuma do, predicted from the
 * webhook selectors of Kuma's Helm chart and its Service controller.
 *
 * Build one with `labelled()`, `unlabelled()` or `unknown()`.
 */
export class NamespaceInjection {
  /**
   * A namespace that carries the label with this value.
   *
   * @param value the label value as it is on the cluster (`enabled`, `disabled`, `true`,
   * `false`, or the deprecated `yes`/`no`).
   * @throws if Kuma cannot parse the value: its injector would then fail for every pod.
   */
  public static labelled(value: string): NamespaceInjection {
    checkInjectionLabelValue('NamespaceInjection.labelled()', 'value', value);
    return new NamespaceInjection(true, value);
  }

  /** A namespace known to carry no `kuma.io/sidecar-injection` label. */
  public static unlabelled(): NamespaceInjection {
    return new NamespaceInjection(true, undefined);
  }

  /** A namespace whose labels this app does not know. */
  public static unknown(): NamespaceInjection {
    return new NamespaceInjection(false, undefined);
  }

  /**
   * The label value, or undefined when the namespace has no label or it is not known.
   */
  public readonly labelValue?: string;

  /** Whether the namespace's labels are known to this app. */
  public readonly known: boolean;

  private constructor(known: boolean, labelValue: string | undefined) {
    this.known = known;
    this.labelValue = labelValue;
  }

  /**
   * Whether every pod of the namespace gets a sidecar without a pod label: the webhook
   * `namespace-kuma-injector.kuma.io` matches the namespace label `In [enabled, "true"]` only.
   */
  public get injectsAllPods(): boolean {
    return this.labelValue === 'enabled' || this.labelValue === 'true';
  }

  /**
   * Whether a pod can opt in with the pod label `kuma.io/sidecar-injection: enabled`: the webhook
   * `pods-kuma-injector.kuma.io` requires the namespace label to exist, with any value.
   */
  public get allowsPodOptIn(): boolean {
    return this.labelValue !== undefined;
  }

  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/controllers/service_controller.go@v2.14.3 (GetEnabled(namespace.Labels)); kumahq/kuma#11994
  /**
   * Whether Kuma's Service controller adds the `service-upstream` annotations to the Services of
   * this namespace itself: only when the namespace label parses as enabled.
   */
  public get servicesAnnotatedByKuma(): boolean {
    return isKumaTrue(this.labelValue);
  }
}
