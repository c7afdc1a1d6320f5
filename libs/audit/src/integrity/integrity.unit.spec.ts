import { RecordedEvent } from '@streamplane/eventstore';
import { canonicalJson, digestStatement, eventLeaf, GENESIS_HASH, rangeHash } from './digest-hashing';
import { compareRange, SealedEntry } from './range-comparison';

const event = (position: number, workspace: string, data: Record<string, string> = { name: 'cam' }): RecordedEvent => ({
  eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  type: 'StreamCreated',
  streamId: `stream-${position}`,
  revision: 0n,
  position: BigInt(position),
  data,
  metadata: { workspace_id: workspace, event_version: 1 },
  recordedAt: new Date('2026-11-27T12:00:00.000Z'),
});
const seal = (e: RecordedEvent): SealedEntry => ({ position: e.position, eventId: e.eventId, workspaceId: String(e.metadata.workspace_id), leaf: eventLeaf(e) });

describe('digest hashing', () => {
  it('writes JSON canonically: keys sorted at every depth, arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: 'x' }], c: true } })).toBe('{"a":{"c":true,"d":[2,{"y":"x","z":null}]},"b":1}');
  });

  it('hashes an event the same whatever order its keys come back in, and differently for any changed byte', () => {
    const original = event(1, 'ws', { name: 'cam', reference: 'file:///a' });
    const reordered = { ...original, data: { reference: 'file:///a', name: 'cam' }, metadata: { event_version: 1, workspace_id: 'ws' } };
    expect(eventLeaf(reordered).equals(eventLeaf(original))).toBe(true);
    expect(eventLeaf({ ...original, data: { ...original.data, name: 'cat' } }).equals(eventLeaf(original))).toBe(false);
    expect(eventLeaf({ ...original, position: 2n }).equals(eventLeaf(original))).toBe(false);
    expect(eventLeaf({ ...original, recordedAt: new Date('2026-11-27T12:00:00.001Z') }).equals(eventLeaf(original))).toBe(false);
  });

  it('chains a range to the previous hash and signs a statement of every fact', () => {
    const leaves = [eventLeaf(event(1, 'ws')), eventLeaf(event(2, 'ws'))];
    const first = rangeHash(GENESIS_HASH, leaves);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(rangeHash(first, leaves)).not.toBe(first);
    expect(rangeHash(GENESIS_HASH, [...leaves].reverse())).not.toBe(first);
    const facts = { from_position: '1', to_position: '2', events: 2, hash: first, previous_hash: GENESIS_HASH, at: '2026-11-27T12:01:00.000Z' };
    expect(digestStatement(facts).toString()).toBe(['streamplane-audit-digest:v1', '1', '2', '2', first, GENESIS_HASH, facts.at].join('\n'));
  });
});

describe('compareRange', () => {
  const events = [event(1, 'a'), event(2, 'b'), event(3, 'a'), event(4, 'a')];
  const sealed = events.map(seal);

  it('verifies the workspace’s events when the store holds exactly what was sealed', () => {
    expect(compareRange(sealed, events, 'a')).toEqual({ verified: 3 });
    expect(compareRange(sealed, events, 'b')).toEqual({ verified: 1 });
  });

  it('names the first altered event of the workspace, and leaves other workspaces’ changes to them', () => {
    const altered = events.map((e) => (e.position === 3n ? { ...e, data: { name: 'evil' } } : e));
    expect(compareRange(sealed, altered, 'a')).toEqual({ verified: 1, mismatch: { position: '3', event_id: events[2].eventId, reason: 'altered' } });
    expect(compareRange(sealed, altered, 'b')).toEqual({ verified: 1 });
  });

  it('names an event removed from the store and one inserted into a sealed range', () => {
    expect(compareRange(sealed, events.filter((e) => e.position !== 3n), 'a').mismatch).toEqual({ position: '3', event_id: events[2].eventId, reason: 'removed' });
    const forged = event(5, 'a');
    expect(compareRange(sealed, [...events.slice(0, 3), { ...forged, position: 3n, eventId: 'ffffffff-0000-4000-8000-000000000000' }, events[3]], 'a').mismatch).toMatchObject({ position: '3', reason: 'inserted' });
  });

  it('catches an event moved out of the workspace: the sealed entry still names it', () => {
    const moved = events.map((e) => (e.position === 4n ? { ...e, metadata: { ...e.metadata, workspace_id: 'b' } } : e));
    expect(compareRange(sealed, moved, 'a').mismatch).toEqual({ position: '4', event_id: events[3].eventId, reason: 'altered' });
  });
});
