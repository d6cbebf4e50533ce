/**
 * The kinds that get typed L1 classes. Everything a delegated-gateway setup touches
 * (issue 2 list) plus the other current (targetRef-era) kinds a user authors.
 *
 * Left out on purpose (their schemas are still extracted, so the validator knows them):
 * - legacy source/destination policies superseded by the Mesh* policies, removed in
 *   Kuma 3.0 (SOURCE.md "Differences on the development branch"): CircuitBreaker,
 *   ExternalService, FaultInjection, HealthCheck, ProxyTemplate, RateLimit, Retry,
 *   Timeout, TrafficLog, TrafficPermission, TrafficRoute, TrafficTrace, VirtualOutbound;
 * - builtin-gateway kinds, not part of delegated gateways and removed in 3.0:
 *   MeshGateway, MeshGatewayConfig, MeshGatewayInstance, MeshGatewayRoute;
 * - objects the control plane writes, never users: DataplaneInsight, MeshInsight,
 *   ServiceInsight, ZoneInsight, ZoneIngressInsight, ZoneEgressInsight, ZoneIngress,
 *   ZoneEgress, Zone.
 */
export const IMPORTED_KINDS = [
  'ContainerPatch',
  'Dataplane',
  'HostnameGenerator',
  'Mesh',
  'MeshAccessLog',
  'MeshCircuitBreaker',
  'MeshExternalService',
  'MeshFaultInjection',
  'MeshHTTPRoute',
  'MeshHealthCheck',
  'MeshIdentity',
  'MeshLoadBalancingStrategy',
  'MeshMetric',
  'MeshMultiZoneService',
  'MeshOpenTelemetryBackend',
  'MeshPassthrough',
  'MeshProxyPatch',
  'MeshRateLimit',
  'MeshRetry',
  'MeshService',
  'MeshTCPRoute',
  'MeshTLS',
  'MeshTimeout',
  'MeshTrace',
  'MeshTrafficPermission',
  'MeshTrust',
  'MeshZoneAddress',
  'Workload',
];
