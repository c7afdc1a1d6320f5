import { randomUUID } from 'node:crypto';
import { EventData, EventStore, RecordedEvent } from '../src/event-store';
import { EventIdConflictError, WrongExpectedRevisionError } from '../src/errors';

export interface ContractFixture {
  store: EventStore;
  teardown(): Promise<void>;
}

export function event(type = 'SomethingHappened', data: Record<string, string | number> = {}): EventData {
  return { eventId: randomUUID(), type, data, metadata: { event_version: 1 } };
}

export async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/** What every EventStore adapter must do. Each test uses its own stream names. */
export function describeEventStoreContract(name: string, setup: () => Promise<ContractFixture>): void {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: ContractFixture;
    let store: EventStore;
    const stream = () => `contract-${randomUUID()}`;

    beforeAll(async () => {
      fixture = await setup();
      store = fixture.store;
    });
    afterAll(() => fixture.teardown());

    describe('append with an expected revision', () => {
      it('no_stream creates a stream and fails once it exists', async () => {
        const s = stream();
        const first = await store.append(s, [event(), event()], 'no_stream');
        expect(first.nextRevision).toBe(1n);
        await expect(store.append(s, [event()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      });

      it('stream_exists fails on a missing stream and appends to an existing one', async () => {
        const s = stream();
        await expect(store.append(s, [event()], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await store.append(s, [event()], 'no_stream');
        expect((await store.append(s, [event()], 'stream_exists')).nextRevision).toBe(1n);
      });

      it('an exact revision appends only at that revision and reports the actual one', async () => {
        const s = stream();
        await store.append(s, [event(), event(), event()], 'no_stream');
        expect((await store.append(s, [event()], 2n)).nextRevision).toBe(3n);
        const error = await store.append(s, [event()], 1n).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe(3n);
      });

      it('any appends whatever the stream holds', async () => {
        const s = stream();
        expect((await store.append(s, [event()], 'any')).nextRevision).toBe(0n);
        expect((await store.append(s, [event(), event()], 'any')).nextRevision).toBe(2n);
      });

      it('positions grow with every append across streams', async () => {
        const a = await store.append(stream(), [event()], 'any');
        const b = await store.append(stream(), [event()], 'any');
        expect(b.position).toBeGreaterThan(a.position);
      });
    });

    describe('idempotent appends', () => {
      it('re-appending the same events at the same place succeeds and stores nothing twice', async () => {
        const s = stream();
        const events = [event(), event()];
        const first = await store.append(s, events, 'no_stream');
        const again = await store.append(s, events, 'no_stream');
        expect(again.nextRevision).toBe(first.nextRevision);
        expect(await collect(store.readStream(s))).toHaveLength(2);
        // The first append wrote; the PostgreSQL store also says the second one found them written.
        expect(first.replayed).toBeFalsy();
        if (store.kind === 'postgres') expect(again.replayed).toBe(true);
      });

      it('the same event ids written to another stream are refused', async () => {
        const events = [event()];
        await store.append(stream(), events, 'any');
        await expect(store.append(stream(), events, 'no_stream')).rejects.toBeInstanceOf(EventIdConflictError);
      });
    });

    describe('readStream', () => {
      let s: string;
      beforeAll(async () => {
        s = stream();
        await store.append(s, [0, 1, 2, 3, 4].map((n) => event('Counted', { n })), 'no_stream');
      });

      it('reads forwards in revision order with data and metadata', async () => {
        const events = await collect(store.readStream(s));
        expect(events.map((e) => e.data.n)).toEqual([0, 1, 2, 3, 4]);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(events[0]).toMatchObject({ type: 'Counted', streamId: s, metadata: { event_version: 1 } });
        expect(events[0].recordedAt).toBeInstanceOf(Date);
      });

      it('reads backwards from the end', async () => {
        const events = await collect(store.readStream(s, { direction: 'backwards', maxCount: 2 }));
        expect(events.map((e) => e.revision)).toEqual([4n, 3n]);
      });

      it('reads from and to a revision', async () => {
        const events = await collect(store.readStream(s, { fromRevision: 1n, toRevision: 3n }));
        expect(events.map((e) => e.revision)).toEqual([1n, 2n, 3n]);
        const back = await collect(store.readStream(s, { direction: 'backwards', fromRevision: 3n, toRevision: 2n }));
        expect(back.map((e) => e.revision)).toEqual([3n, 2n]);
      });

      it('reads a missing stream as empty', async () => {
        expect(await collect(store.readStream(stream()))).toEqual([]);
      });
    });

    describe('readAll and subscribeToAll', () => {
      it('readAll returns events strictly after a position, in position order', async () => {
        const s = stream();
        const first = await store.append(s, [event('A')], 'no_stream');
        await store.append(s, [event('B'), event('C')], 0n);
        const after = await collect(store.readAll({ after: first.position }));
        const mine = after.filter((e) => e.streamId === s);
        expect(mine.map((e) => e.type)).toEqual(['B', 'C']);
        const positions = after.map((e) => e.position);
        expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(positions[positions.length - 1]);
      });

      it('subscribeToAll catches up, then delivers live events', async () => {
        const s = stream();
        const start = await store.append(s, [event('Before')], 'no_stream');
        const controller = new AbortController();
        const seen: string[] = [];
        const done = (async () => {
          for await (const e of store.subscribeToAll({ after: start.position - 1n, signal: controller.signal })) {
            if (e.streamId !== s) continue;
            seen.push(e.type);
            if (seen.length === 3) controller.abort();
          }
        })();
        await new Promise((resolve) => setTimeout(resolve, 100));
        await store.append(s, [event('Live1')], 0n);
        await store.append(s, [event('Live2')], 1n);
        await done;
        expect(seen).toEqual(['Before', 'Live1', 'Live2']);
      });
    });
  });
}
