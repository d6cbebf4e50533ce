import { Construct } from 'constructs';
import { DelegatedGatewayBase } from './delegated-gateway-base';
import { GatewayFlavour } from './gateway-flavour';
import { GatewayIdentity } from './gateway-identity';
import { DelegatedGatewayAttributes } from './gateway-ref';
import { KumaVersion } from '../kuma/kuma-version';
import { KumaControlPlane } from '../mesh/kuma-control-plane';
import { MeshNamespace } from '../mesh/mesh-namespace';
import { checkDns1123Label, checkDns1123Subdomain, checkMeshName, checkTrustDomain, checkZoneName, invalid } from '../private/_validation';

/** A delegated gateway installed outside the app, known by its attributes. */
export class ImportedDelegatedGateway extends DelegatedGatewayBase {
  public readonly trustDomain?: string;
  public readonly mesh: string;
  public readonly version: KumaVersion;
  public readonly controlPlaneNamespace: string;
  public readonly identity: GatewayIdentity;
  public readonly workloadName: string;
  public readonly flavour: GatewayFlavour;
  public readonly zone?: string;

  constructor(scope: Construct, id: string, attrs: DelegatedGatewayAttributes) {
    super(scope, id);
    checkDns1123Subdomain(this, 'name', attrs.name);
    checkDns1123Label(this, 'namespace', attrs.namespace);
    checkDns1123Subdomain(this, 'serviceAccountName', attrs.serviceAccountName);
    this.mesh = attrs.mesh ?? MeshNamespace.DEFAULT_MESH;
    checkMeshName(this, 'mesh', this.mesh);
    this.version = KumaVersion.of(this);
    this.controlPlaneNamespace = KumaControlPlane.of(this)._namespaceFor(this, 'controlPlaneNamespace', attrs.controlPlaneNamespace);
    if (Object.keys(attrs.podLabels).length === 0) {
      throw invalid(this, 'podLabels', attrs.podLabels, 'is empty, so no label selects the gateway\'s Dataplanes in its policies',
        'Give the labels that select the gateway\'s pods (for Kong\'s chart: app.kubernetes.io/name and app.kubernetes.io/instance).');
    }
    this.identity = GatewayIdentity._of(this, this.mesh, attrs.namespace, { ...attrs.podLabels }, attrs.serviceAccountName);
    this.workloadName = attrs.name;
    this.flavour = attrs.flavour ?? GatewayFlavour.generic();
    if (attrs.zone !== undefined) checkZoneName(this, 'zone', attrs.zone);
    // a gateway of another zone is what this is for: no agreement with this cluster's zone
    const here = KumaControlPlane.of(this);
    this.zone = attrs.zone ?? here.zone;
    if (attrs.trustDomain !== undefined) checkTrustDomain(this, 'trustDomain', attrs.trustDomain);
    // this cluster's trust domain is its own zone's: a gateway of another zone has its zone's
    this.trustDomain = attrs.trustDomain ?? (this.zone === here.zone ? here.trustDomain : undefined);
  }
}
