import { IConstruct } from 'constructs';
import { refusedPodAnnotation } from '../kuma/_gateway-pod-rules';
import { capabilitiesOf, firstVersionDeclaring, removedIn, unreadKeyReason } from '../kuma/_kuma-capabilities';
import { checkNoOwnedLabels } from '../kuma/_owned-labels';
import { GatewayMarking } from '../kuma/gateway-marking';
import { KumaVersion } from '../kuma/kuma-version';
import { KumaAnnotation, KumaLabel } from '../kuma/well-known';
import { KumaControlPlane } from '../mesh/kuma-control-plane';
import { IMeshNamespace } from '../mesh/mesh-namespace';
import { PodTemplate } from '../private/_pod-template';
import { invalidMessage } from '../private/_validation';
import { warn } from '../private/_warnings';

/*
 * What a delegated gateway's pod must be at synth, one named check per invariant (cdk8s-plus
 * registers one validation per invariant the same way, e.g. HorizontalPodAutoscaler's
 * _validateTargetReplicas): each returns the errors it finds, in the order the gateway reports them.
 */

/** What the checks read of the gateway. */
export interface GatewayPod {
  /** The gateway construct (warnings are recorded on it). */
  readonly scope: IConstruct;
  readonly pod: PodTemplate;
  /** The pod template's annotations, labels and container ports, read once for all the checks. */
  readonly annotations: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly containerPorts: number[];
  readonly version: KumaVersion;
  readonly marking: GatewayMarking;
  readonly mesh: string;
  /** Whether the mesh was given, not taken as the default. */
  readonly explicitMesh: boolean;
  /** The annotations the gateway wrote, with the value it wrote. */
  readonly written: ReadonlyMap<string, string>;
  /** Whether directPorts was given (else every container port is a direct port). */
  readonly directPortsGiven: boolean;
  readonly controlPlane: KumaControlPlane;
  /** The gateway's namespace, when the app declares it. */
  readonly namespace: () => IMeshNamespace | undefined;
}

/** One invariant of the gateway pod. */
export interface GatewayPodCheck {
  readonly name: string;
  readonly check: (g: GatewayPod) => string[];
}

// Sources: kumahq/kuma pkg/config/app/kuma-cp/kuma-cp.defaults.yaml@v2.14.3 (bootstrapServer.params.adminPort)
/** Kuma's default Envoy admin port (`bootstrapServer.params.adminPort`). */
const DEFAULT_ENVOY_ADMIN_PORT = 9901;
// Sources: kumahq/kuma pkg/config/app/kuma-cp/kuma-cp.defaults.yaml@v2.14.3 (redirectPortOutbound, builtinDNS.port)
/** Ports the sidecar itself listens on in the pod: outbound redirect, builtin DNS. */
const SIDECAR_PORTS: Record<number, string> = { 15001: 'the sidecar\'s outbound listener', 15053: 'the sidecar\'s builtin DNS server' };
/** Kuma's default sidecar UID (`runtime.kubernetes.injector.sidecarContainer.uid`). */
const SIDECAR_UID = 5678;

/** The gateway option that writes each annotation, for the fix of a key the target version does not read. */
const OPTION_OF: Record<string, string> = {
  [KumaAnnotation.EXCLUDE_OUTBOUND_IPS]: 'excludeOutboundIps',
  [KumaAnnotation.EXCLUDE_OUTBOUND_PORTS]: 'excludeOutboundPorts',
  [KumaAnnotation.REACHABLE_BACKENDS]: 'reachableBackends',
  [KumaAnnotation.REACHABLE_SERVICES]: 'reachableServices',
  [KumaAnnotation.SIDECAR_ENV_VARS]: 'sidecarEnv',
  [KumaAnnotation.SIDECAR_DRAIN_TIME]: 'drainTime',
  [KumaAnnotation.ENVOY_ADMIN_PORT]: 'envoyAdminPort',
  [KumaAnnotation.CONTAINER_PATCHES]: 'containerPatches',
  [KumaAnnotation.SERVICE_ACCOUNT_TOKEN_VOLUME]: 'serviceAccountTokenVolume',
  [KumaAnnotation.ENVOY_LOG_LEVEL]: 'envoyLogLevel',
  [KumaAnnotation.ENVOY_COMPONENT_LOG_LEVEL]: 'envoyComponentLogLevels',
  [KumaAnnotation.SIDECAR_PROXY_CONCURRENCY]: 'proxyConcurrency',
  [KumaAnnotation.WAIT_FOR_DATAPLANE_READY]: 'waitForDataplaneReady',
  [KumaAnnotation.INIT_FIRST]: 'initFirst',
};

function unreadKeyFix(key: string, version: KumaVersion): string {
  if (key === KumaAnnotation.REACHABLE_SERVICES && removedIn(version, key) !== undefined) {
    return 'Use reachableBackends (kuma.io/reachable-backends) instead.';
  }
  const first = firstVersionDeclaring(key);
  const option = OPTION_OF[key];
  return `${option === undefined ? 'Remove it' : `Drop ${option}`} for Kuma ${version}${first !== undefined && !version.atLeast(first.major, first.minor) ? `, or target Kuma ${first} or newer (KumaVersion.use())` : ''}.`;
}

/** The invariants, in the order their errors are reported. */
export const GATEWAY_POD_CHECKS: readonly GatewayPodCheck[] = [
  {
    // the gateway's Dataplane takes its pod labels, then the control plane's computed ones
    name: 'no control-plane-owned labels',
    check: (g) => {
      try {
        checkNoOwnedLabels(g.pod.scope, 'pod labels', g.labels);
        return [];
      } catch (e) {
        return [(e as Error).message.replace(/^[^:]*: /, '')];
      }
    },
  },
  {
    // Kuma 3.x lets clients in by SPIFFE ID, which holds the service account (see ownServiceAccount
    // in delegated-gateway-deployment.ts): `default` is the identity of every pod without its own
    name: 'a service account of its own (3.x)',
    check: (g) => {
      const account = g.pod.serviceAccountName();
      if (!capabilitiesOf(g.version).permissionRules || account !== 'default') return [];
      return [invalidMessage('serviceAccountName', account,
        `is the namespace's default ServiceAccount: Kuma ${g.version} lets the gateway in by its SPIFFE ID .../ns/${g.pod.namespace ?? '<namespace>'}/sa/default, which every pod of the namespace without an account of its own shares, so a permission for the gateway would let them all in`,
        'Give the gateway\'s workload a ServiceAccount of its own (spec.template.spec.serviceAccountName; DelegatedGatewayDeployment creates one when none is given).')];
    },
  },
  {
    name: 'no annotation Kuma refuses on a gateway pod',
    check: (g) => Object.entries(g.annotations).flatMap(([key, value]) => {
      const reason = refusedPodAnnotation(key, value, g.version, g.marking);
      return reason ? [invalidMessage(`pod annotation "${key}"`, value, reason.problem, reason.fix)] : [];
    }),
  },
  {
    name: 'what the gateway wrote: read by the version, and unchanged',
    check: (g) => {
      const errors: string[] = [];
      for (const [key, value] of g.written) {
        const unread = unreadKeyReason(g.version, key);
        if (unread !== undefined) errors.push(invalidMessage(`pod annotation "${key}"`, value, unread, unreadKeyFix(key, g.version)));
        if (g.annotations[key] !== value) {
          errors.push(invalidMessage(`pod annotation "${key}"`, g.annotations[key], `was changed after the gateway wrote ${JSON.stringify(value)}`,
            'Set it through the gateway\'s options instead.'));
        }
      }
      return errors;
    },
  },
  {
    name: 'its labels unchanged',
    check: (g) => {
      const labels = g.labels;
      return [[KumaLabel.SIDECAR_INJECTION, 'enabled'], [KumaLabel.MESH, g.mesh]].flatMap(([key, value]) => (labels[key] === value ? []
        : [invalidMessage(`pod label "${key}"`, labels[key], `was changed after the gateway wrote ${JSON.stringify(value)}`, 'Leave the label to the gateway.')]));
    },
  },
  {
    name: 'container ports are port numbers',
    check: (g) => g.containerPorts.filter((port) => !Number.isInteger(port) || port < 1 || port > 65535)
      .map((port) => invalidMessage('container port', port, 'of the gateway pod is not a port number, so the API server rejects the workload', 'Use an integer from 1 to 65535.')),
  },
  {
    // a container port added after the gateway was created is not in exclude-inbound-ports yet
    name: 'every container port kept out of inbound redirection (3.x marking)',
    check: (g) => {
      if (g.marking !== GatewayMarking.EXCLUDED_INBOUND_PORTS || g.directPortsGiven) return [];
      const excluded = (g.annotations[KumaAnnotation.EXCLUDE_INBOUND_PORTS] ?? '').split(',').map((p) => Number(p.trim()));
      return g.containerPorts.filter((p) => !excluded.includes(p)).map((port) => invalidMessage('container port', port,
        'is not in traffic.kuma.io/exclude-inbound-ports, so the sidecar would take the gateway\'s inbound traffic on it (it was added after the gateway was created)',
        'Call gateway.addDirectPort() with it, or pass directPorts.'));
    },
  },
  {
    name: 'no container on the Envoy admin port',
    check: (g) => {
      const adminPortText = g.annotations[KumaAnnotation.ENVOY_ADMIN_PORT];
      const adminPort = adminPortText === undefined ? DEFAULT_ENVOY_ADMIN_PORT : Number(adminPortText);
      if (!g.containerPorts.includes(adminPort)) return [];
      return [invalidMessage('envoyAdminPort', adminPort,
        `is also a container port of the gateway pod; the sidecar's Envoy admin API${adminPortText === undefined ? ' (Kuma\'s default port)' : ''} and the gateway would both bind it`,
        'Set envoyAdminPort to a port no container uses.')];
    },
  },
  {
    name: 'no container on the sidecar\'s own ports',
    check: (g) => g.containerPorts.filter((port) => SIDECAR_PORTS[port] !== undefined)
      .map((port) => invalidMessage('container port', port, `is taken by ${SIDECAR_PORTS[port]} in every injected pod`, 'Move the container to another port.')),
  },
  {
    // Kuma's injector: "containers using same UID as sidecar is unsupported" (a container's own
    // securityContext.runAsUser equal to the sidecar's, 5678 unless the control plane sets
    // runtime.kubernetes.injector.sidecarContainer.uid; kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector/precheck.go@v2.14.3)
    name: 'no container under the sidecar\'s UID',
    check: (g) => {
      const sameUid = g.pod.containerUids().filter((c) => c.uid === SIDECAR_UID);
      if (sameUid.length === 0) return [];
      return [invalidMessage('securityContext.runAsUser', SIDECAR_UID,
        `is the UID of Kuma's sidecar, so its injector fails the pod ("containers using same UID as sidecar is unsupported": ${sameUid.map((c) => c.name).join(', ')})`,
        'Run the gateway containers as another user.')];
    },
  },
  {
    // Sources: kumahq/kuma v2.14.3 pkg/plugins/runtime/k8s/webhooks/injector/testdata/inject.*.golden.yaml
    // (kuma-init: runAsUser 0, no runAsNonRoot); the kubelet refuses a root container under a
    // pod-level runAsNonRoot.
    name: 'no pod-level runAsNonRoot without Kuma CNI',
    check: (g) => {
      if (g.pod.podRunAsNonRoot() !== true || g.controlPlane.cni) return [];
      return [invalidMessage('securityContext.runAsNonRoot', true,
        `is set for the whole pod, but without Kuma CNI (${g.controlPlane}) Kuma's injector adds the kuma-init container as runAsUser 0, which the kubelet then refuses to start ("container's runAsUser breaks non-root policy"), so the gateway pods never start`,
        'Set runAsNonRoot on each container instead of the pod (cdk8s-plus: securityContext: { ensureNonRoot: false } on the workload, whose containers keep their own), or say the control plane runs Kuma CNI with KumaControlPlane.use(app, { cni: true }).')];
    },
  },
  {
    name: 'a service-account token for the sidecar',
    check: (g) => {
      const tokenVolume = g.annotations[KumaAnnotation.SERVICE_ACCOUNT_TOKEN_VOLUME];
      if (tokenVolume !== undefined && !g.pod.volumeNames().includes(tokenVolume)) {
        return [invalidMessage('serviceAccountTokenVolume', tokenVolume,
          `is not a volume of the pod (volumes: ${g.pod.volumeNames().join(', ') || 'none'}), so Kuma's injector fails ("volume specified for kuma.io/service-account-token-volume but volume does not exist in pod spec")`,
          'Add the volume to the pod or name one of its volumes.')];
      }
      if (tokenVolume === undefined && g.pod.automountServiceAccountToken() === false) {
        return [invalidMessage('automountServiceAccountToken', false,
          'leaves the sidecar without the service-account token it authenticates to the control plane with',
          'Set automountServiceAccountToken to true, or mount a projected token volume and name it in serviceAccountTokenVolume.')];
      }
      return [];
    },
  },
  {
    name: 'a namespace labelled for injection, in the gateway\'s mesh',
    check: (g) => checkNamespace(g),
  },
];

/** Every check's errors, in order. */
export function checkGatewayPod(g: GatewayPod): string[] {
  return GATEWAY_POD_CHECKS.flatMap((c) => c.check(g));
}

function checkNamespace(g: GatewayPod): string[] {
  const namespace = g.namespace();
  if (namespace === undefined) {
    warn(g.scope, g.pod.namespace === undefined
      ? 'the gateway workload sets no namespace, so this app cannot check that its namespace carries the kuma.io/sidecar-injection label Kuma\'s pod webhook requires'
      : `namespace ${JSON.stringify(g.pod.namespace)} is not declared in this app, so it is not checked for the kuma.io/sidecar-injection label Kuma's pod webhook requires; declare it as a MeshNamespace or pass MeshNamespace.fromNamespaceAttributes()`);
    return [];
  }
  const errors: string[] = [];
  if (!namespace.injection.known) {
    warn(g.scope, `the labels of namespace ${JSON.stringify(namespace.name)} are not known, so it is not checked for the kuma.io/sidecar-injection label Kuma's pod webhook requires`);
  } else if (!namespace.injection.allowsPodOptIn) {
    errors.push(invalidMessage('namespace', namespace.name,
      'has no kuma.io/sidecar-injection label, so Kuma\'s pod webhook never sees the gateway pods (it requires the namespace label to exist) and they run without a sidecar',
      'Label the namespace kuma.io/sidecar-injection=enabled (a MeshNamespace does).'));
  }
  if (!g.explicitMesh && namespace.meshLabel !== undefined && namespace.meshLabel !== g.mesh) {
    errors.push(invalidMessage('mesh', g.mesh,
      `was taken as the default, but namespace ${JSON.stringify(namespace.name)} is in mesh ${JSON.stringify(namespace.meshLabel)} (declared after the gateway)`,
      'Pass mesh explicitly or declare the namespace before the gateway.'));
  }
  return errors;
}
