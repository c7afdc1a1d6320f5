export * from './fleet.module';
export * from './catalog/fleet-catalog';
export * from './catalog/catalog.defaults';
export * from './events';
export { FleetSecrets } from './secrets/fleet-secrets';
export { isSealed } from './secrets/sealing';
export { InstanceDirectory } from './queries/instance-directory';
