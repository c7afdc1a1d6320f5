import { JSONRecordedEvent, WrongExpectedVersionError } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../errors';
import { allStreamStart, fromEventStoreDbEvent, isSystemEvent, toEventStoreDbEvent, translateAppendError } from './eventstoredb-mapping';

const recorded = (overrides: Partial<JSONRecordedEvent> = {}): JSONRecordedEvent =>
  ({
    id: '2f6b8c1e-7a3d-4f59-9d0e-1b2c3d4e5f60',
    type: 'StreamQueued',
    streamId: 'stream-1',
    revision: 4n,
    position: { commit: 1234n, prepare: 1234n },
    data: { name: 'a' },
    metadata: { event_version: 1 },
    created: new Date('2026-01-02T03:04:05Z'),
    isJson: true,
    ...overrides,
  }) as JSONRecordedEvent;

describe('EventStoreDB mapping', () => {
  it('maps a recorded event with its commit position as our position', () => {
    expect(fromEventStoreDbEvent(recorded())).toEqual({
      eventId: '2f6b8c1e-7a3d-4f59-9d0e-1b2c3d4e5f60',
      type: 'StreamQueued',
      streamId: 'stream-1',
      revision: 4n,
      position: 1234n,
      data: { name: 'a' },
      metadata: { event_version: 1 },
      recordedAt: new Date('2026-01-02T03:04:05Z'),
    });
  });

  it('drops system events and events without a position', () => {
    expect(fromEventStoreDbEvent(recorded({ type: '$metadata' }))).toBeUndefined();
    expect(fromEventStoreDbEvent(recorded({ streamId: '$stats-127.0.0.1:2113' }))).toBeUndefined();
    expect(fromEventStoreDbEvent(recorded({ position: undefined }))).toBeUndefined();
    expect(isSystemEvent('StreamQueued', 'stream-1')).toBe(false);
  });

  it('writes events as JSON with our ids, type, data and metadata', () => {
    const event = toEventStoreDbEvent({ eventId: '2f6b8c1e-7a3d-4f59-9d0e-1b2c3d4e5f60', type: 'X', data: { a: 1 }, metadata: { b: 2 } });
    expect(event).toMatchObject({ id: '2f6b8c1e-7a3d-4f59-9d0e-1b2c3d4e5f60', type: 'X', data: { a: 1 }, metadata: { b: 2 }, contentType: 'application/json' });
  });

  it('translates a wrong expected version into our error with the actual revision', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'stream-1', expected: 2n, current: 5n } as never);
    const translated = translateAppendError(error, 'stream-1', 2n);
    expect(translated).toBeInstanceOf(WrongExpectedRevisionError);
    expect(translated).toMatchObject({ streamId: 'stream-1', expected: 2n, actual: 5n });
    const missing = new WrongExpectedVersionError(undefined, { streamName: 'stream-1', expected: 'stream_exists', current: 'no_stream' } as never);
    expect(translateAppendError(missing, 'stream-1', 'stream_exists')).toMatchObject({ actual: 'none' });
    const other = new Error('unavailable');
    expect(translateAppendError(other, 'stream-1', 'any')).toBe(other);
  });

  it('starts reading $all at the start or at the checkpoint position', () => {
    expect(allStreamStart(undefined)).toBe('start');
    expect(allStreamStart(0n)).toBe('start');
    expect(allStreamStart(99n)).toEqual({ commit: 99n, prepare: 99n });
  });
});
