export * from './well-known';
export * from './sidecar-injection';
export * from './kuma-protocol';
export * from './mesh-namespace';
export * from './service-upstream';
export * from './mesh-service';
export * as kuma from './imports/kuma.io';
