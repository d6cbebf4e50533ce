import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { makeClusterScoped } from '../private/_metadata';
import { checkDns1123Label, checkDns1123Subdomain } from '../private/_validation';

/**
 * Properties of a `KongIngressClass`.
 */
export interface KongIngressClassProps {
  /**
   * The IngressClass name, which Ingresses give as `ingressClassName`.
   *
   * @default "kong"
   */
  readonly name?: string;

  /**
   * The namespace of the `IngressClassParameters` (a namespaced kind), usually Kong's.
   */
  readonly parametersNamespace: string;

  /**
   * The name of the `IngressClassParameters`.
   *
   * @default - `<name>-params`
   */
  readonly parametersName?: string;

  /**
   * `spec.controller` of the IngressClass.
   *
   * @default "ingress-controllers.konghq.com/kong"
   */
  readonly controller?: string;

  /**
   * Make this the cluster's default IngressClass
   * (`ingressclass.kubernetes.io/is-default-class: "true"`).
   *
   * @default false
   */
  readonly isDefaultClass?: boolean;
}

// Sources: Kong/charts charts/kong/crds/custom-resource-definitions.yaml, charts/kong/templates/ingress-class.yaml @kong-3.4.1;
// https://developer.konghq.com/mesh/delegated-gateways/
/**
 * An IngressClass for Kong Ingress Controller whose `IngressClassParameters` set
 * `serviceUpstream: true`: Kong then sends every Ingress of the class to Service IPs, the
 * alternative to annotating each upstream Service (Kong docs, mesh/delegated-gateways;
 * IngressClassParameters CRD in Kong/charts `charts/kong/crds`).
 */
export class KongIngressClass extends Construct {
  /** The IngressClass name. */
  public readonly name: string;
  /** The IngressClass object. */
  public readonly ingressClass: ApiObject;
  /** The IngressClassParameters object. */
  public readonly parameters: ApiObject;

  constructor(scope: Construct, id: string, props: KongIngressClassProps) {
    super(scope, id);
    this.name = props.name ?? 'kong';
    const parametersName = props.parametersName ?? `${this.name}-params`;
    checkDns1123Subdomain(this, 'name', this.name);
    checkDns1123Subdomain(this, 'parametersName', parametersName);
    checkDns1123Label(this, 'parametersNamespace', props.parametersNamespace);

    this.parameters = new ApiObject(this, 'Parameters', {
      apiVersion: 'configuration.konghq.com/v1alpha1',
      kind: 'IngressClassParameters',
      metadata: { name: parametersName, namespace: props.parametersNamespace },
      spec: { serviceUpstream: true },
    });
    this.ingressClass = new k8s.KubeIngressClass(this, 'Resource', {
      metadata: {
        name: this.name,
        annotations: props.isDefaultClass ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : undefined,
      },
      spec: {
        controller: props.controller ?? 'ingress-controllers.konghq.com/kong',
        parameters: {
          apiGroup: 'configuration.konghq.com',
          kind: 'IngressClassParameters',
          name: parametersName,
          namespace: props.parametersNamespace,
          scope: 'Namespace',
        },
      },
    });
    makeClusterScoped(this, this.ingressClass, 'IngressClass', undefined);
    this.ingressClass.addDependency(this.parameters);
    this.node.defaultChild = this.ingressClass;
  }
}
