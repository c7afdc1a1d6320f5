import { ForbiddenError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { instanceSlotsDecider } from './instance-slots.decider';
import { SlotEvent } from './instance-slots.events';

const t0 = new Date('2026-11-25T10:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const graceMs = 60_000;
const taken = (id: string, at = t0, routing_key: string | null = null): SlotEvent => ({ type: 'InstanceSlotTaken', data: { instance_id: id, at: at.toISOString(), routing_key } });
const take = (instanceId: string, now: Date, abandoned: string[] = [], limit = 1) => ({ type: 'Take' as const, instanceId, limit, routingKey: null, abandoned, graceMs, now });
const spec = deciderSpec(instanceSlotsDecider);

describe('instance slots decider', () => {
  it('takes a slot under the limit, refuses one at it (403), and is idempotent for the holder', () => {
    spec.given([]).when(take('a', t0)).then([taken('a')]);
    spec.given([taken('a')]).when(take('b', t0)).thenThrows(ForbiddenError, /limit of 1/);
    spec.given([taken('a')]).when(take('a', later(1))).then([]);
  });

  it('reclaims an abandoned holder only after the grace period, then gives its slot to the newcomer', () => {
    spec.given([taken('ghost')]).when(take('b', later(graceMs - 1), ['ghost'])).thenThrows(ForbiddenError);
    const now = later(graceMs);
    spec
      .given([taken('ghost', t0, 'edge')])
      .when(take('b', now, ['ghost']))
      .then([
        { type: 'InstanceSlotReclaimed', data: { instance_id: 'ghost', at: now.toISOString(), taken_at: t0.toISOString() } },
        { type: 'InstanceSlotTaken', data: { instance_id: 'b', at: now.toISOString(), routing_key: null } },
      ]);
  });

  it('never reclaims a holder the lookup did not find abandoned, nor one that no longer holds', () => {
    spec.given([taken('alive')]).when(take('b', later(graceMs * 10), [])).thenThrows(ForbiddenError);
    const released: SlotEvent = { type: 'InstanceSlotReleased', data: { instance_id: 'gone', at: t0.toISOString() } };
    spec.given([taken('gone'), released]).when(take('b', later(graceMs), ['gone'])).then([taken('b', later(graceMs))]);
  });

  it('a released slot can be taken again, and the limit counts every holder', () => {
    const released: SlotEvent = { type: 'InstanceSlotReleased', data: { instance_id: 'a', at: t0.toISOString() } };
    spec.given([taken('a'), released]).when(take('b', t0)).then([taken('b')]);
    spec.given([taken('a')]).when(take('b', t0, [], 2)).then([taken('b')]);
    spec.given([taken('a'), taken('b')]).when(take('c', t0, [], 2)).thenThrows(ForbiddenError, /limit of 2/);
  });

  it('remembers the routing key a slot was taken for', () => {
    const state = [taken('a', t0, 'edge')].reduce(instanceSlotsDecider.evolve, instanceSlotsDecider.initialState());
    expect(state.holders.get('a')).toEqual({ takenAt: t0, routingKey: 'edge' });
  });
});
