// The pure part of the core: what deciders and event catalogues may import. Nothing here reaches
// Nest, pg, BullMQ or HTTP (the dependency rules check it), so a decider stays a plain function.
export type { JsonObject, JsonValue } from '@streamplane/eventstore/event-store';
export * from './decider';
export * from './domain-errors';
export * from './event-kinds';
export * from './slots';
export * from './workspace-scoped';
