import { ConflictError, NotFoundError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { catalogDecider } from './catalog.decider';
import { CatalogEvent } from './catalog.events';

const now = new Date('2026-11-27T10:00:00.000Z');
const at = now.toISOString();
const spec = deciderSpec(catalogDecider);
const v1 = { version: '1.0.0', description: 'first', released_at: '2026-06-01T00:00:00.000Z' };
const xsmall = { name: 'xsmall', vcpu: 1, memory_mb: 1024, watts: 12, price_per_hour: 0.02 };
const seed = { type: 'Seed' as const, source: 'built-in catalog', versions: [v1], machineTypes: [xsmall], now };
const seeded: CatalogEvent[] = [
  { type: 'CatalogVersionPublished', data: { ...v1, at } },
  { type: 'CatalogMachineTypePublished', data: { ...xsmall, at } },
  { type: 'CatalogSeeded', data: { source: 'built-in catalog', at } },
];
const versionRetired: CatalogEvent = { type: 'CatalogVersionRetired', data: { version: '1.0.0', at } };
const typeRetired: CatalogEvent = { type: 'CatalogMachineTypeRetired', data: { name: 'xsmall', at } };

describe('catalog decider', () => {
  it('seeds once: a later start (even after a retirement) adds nothing', () => {
    spec.given([]).when(seed).then(seeded);
    spec.given(seeded).when(seed).then([]);
    spec.given([...seeded, versionRetired]).when(seed).then([]);
  });

  it('publishes a new version; an available one is a conflict; a retired one comes back', () => {
    spec.given(seeded).when({ type: 'PublishVersion', version: '2.0.0', description: 'next', now }).then([
      { type: 'CatalogVersionPublished', data: { version: '2.0.0', description: 'next', released_at: at, at } },
    ]);
    spec.given(seeded).when({ type: 'PublishVersion', version: '1.0.0', description: 'again', now }).thenThrows(ConflictError, /already available/);
    spec.given([...seeded, versionRetired]).when({ type: 'PublishVersion', version: '1.0.0', description: 'again', now }).then([
      { type: 'CatalogVersionPublished', data: { version: '1.0.0', description: 'again', released_at: at, at } },
    ]);
  });

  it('retires a version once; an unknown one is a 404', () => {
    spec.given(seeded).when({ type: 'RetireVersion', version: '1.0.0', now }).then([versionRetired]);
    spec.given([...seeded, versionRetired]).when({ type: 'RetireVersion', version: '1.0.0', now }).then([]);
    spec.given(seeded).when({ type: 'RetireVersion', version: '9.9.9', now }).thenThrows(NotFoundError);
  });

  it('publishes and retires machine types alike, keeping a retired one’s rates', () => {
    const big = { name: 'huge', vcpu: 64, memory_mb: 262144, watts: 500, price_per_hour: 1.5 };
    spec.given(seeded).when({ type: 'PublishMachineType', machineType: big, now }).then([{ type: 'CatalogMachineTypePublished', data: { ...big, at } }]);
    spec.given(seeded).when({ type: 'PublishMachineType', machineType: xsmall, now }).thenThrows(ConflictError);
    spec.given(seeded).when({ type: 'RetireMachineType', name: 'xsmall', now }).then([typeRetired]);
    spec.given([...seeded, typeRetired]).when({ type: 'RetireMachineType', name: 'xsmall', now }).then([]);
    spec.given(seeded).when({ type: 'RetireMachineType', name: 'nope', now }).thenThrows(NotFoundError);
    const state = [...seeded, typeRetired].reduce(catalogDecider.evolve, catalogDecider.initialState());
    expect(state.machineTypes.xsmall).toEqual({ ...xsmall, retired_at: at });
  });
});
