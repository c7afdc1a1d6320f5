import { ForbiddenError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { workspaceSlotsDecider } from './workspace-slots.decider';
import { WorkspaceSlotEvent } from './workspace-slots.events';

const t0 = new Date('2026-11-27T10:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const graceMs = 60_000;
const taken = (id: string, at = t0): WorkspaceSlotEvent => ({ type: 'WorkspaceSlotTaken', data: { workspace_id: id, at: at.toISOString() } });
const released = (id: string, at = t0): WorkspaceSlotEvent => ({ type: 'WorkspaceSlotReleased', data: { workspace_id: id, at: at.toISOString() } });
const take = (workspaceId: string, now: Date, limit: number | null = 2, vacated: string[] = []) => ({ type: 'Take' as const, workspaceId, limit, vacated, graceMs, now });
const spec = deciderSpec(workspaceSlotsDecider);

describe('workspace slots decider', () => {
  it('takes slots up to the cap, refuses one at it (403), and is idempotent for a holder', () => {
    spec.given([]).when(take('a', t0)).then([taken('a')]);
    spec.given([taken('a')]).when(take('b', t0)).then([taken('b')]);
    spec.given([taken('a'), taken('b')]).when(take('c', t0)).thenThrows(ForbiddenError, /already owns 2 workspaces/);
    spec.given([taken('a'), taken('b')]).when(take('b', later(1))).then([]);
  });

  it('has no cap for a null limit (platform admins)', () => {
    spec.given([taken('a'), taken('b'), taken('c')]).when(take('d', t0, null)).then([taken('d')]);
  });

  it('a released slot frees room for another workspace; releasing what is not held writes nothing', () => {
    spec.given([taken('a'), taken('b')]).when({ type: 'Release', workspaceId: 'a', now: t0 }).then([released('a')]);
    spec.given([taken('a'), taken('b'), released('a')]).when(take('c', t0)).then([taken('c')]);
    spec.given([taken('a')]).when({ type: 'Release', workspaceId: 'z', now: t0 }).then([]);
  });

  it('reclaims a vacated holder only after the grace period, and only one the lookup named', () => {
    spec.given([taken('ghost'), taken('b')]).when(take('c', later(graceMs - 1), 2, ['ghost'])).thenThrows(ForbiddenError);
    spec.given([taken('ghost'), taken('b')]).when(take('c', later(graceMs * 10), 2, [])).thenThrows(ForbiddenError);
    const now = later(graceMs);
    spec
      .given([taken('ghost'), taken('b')])
      .when(take('c', now, 2, ['ghost', 'ghost', 'unknown']))
      .then([{ type: 'WorkspaceSlotReclaimed', data: { workspace_id: 'ghost', at: now.toISOString(), taken_at: t0.toISOString() } }, taken('c', now)]);
  });
});
