import { RecordedEvent } from '@streamplane/eventstore';
import { defineEvents, payload, streamCategory } from '../domain/event-kinds';
import { EventCatalog } from '../commands/event-catalog';
import { eventView } from './event-view';

// A kind about something other than its stream's entity, as usage stretches are about their subject.
const catalog = new EventCatalog();
catalog.register(
  defineEvents(streamCategory('usage'), {
    UsageStretch: { description: 'a stretch', payload: payload<{ subject_type: string; subject_id: string }>(), targetOf: (data: { subject_type: string; subject_id: string }) => ({ type: data.subject_type, id: data.subject_id }) },
  }),
  defineEvents(streamCategory('account'), {
    Sealing: { description: 'sealed values', payload: payload<{ email: string; sealed: Record<string, string>; name: string }>(), sealed: ['email', 'sealed.*'] },
  }),
);

const recorded = (streamId: string, data: RecordedEvent['data'], metadata: RecordedEvent['metadata'] = {}): RecordedEvent => ({
  eventId: 'e-1',
  type: 'Something',
  streamId,
  revision: 4n,
  position: 1234567890123n,
  data,
  metadata,
  recordedAt: new Date('2026-01-01T00:00:00.000Z'),
});

describe('eventView', () => {
  it('shows position and revision as strings, the target from the stream, the envelope under plain names', () => {
    const view = eventView(
      recorded(
        'instance-abc-def',
        { at: 'x' },
        { event_version: 2, actor: { type: 'user', id: 'u-1' }, $correlationId: 'c-1', $causationId: 'k-1', request_id: 'r-1', occurred_at: '2026-01-01T00:00:01.000Z' },
      ),
      catalog,
    );
    expect(view).toEqual({
      position: '1234567890123',
      event_id: 'e-1',
      type: 'Something',
      event_version: 2,
      stream_id: 'instance-abc-def',
      revision: '4',
      target: { type: 'instance', id: 'abc-def' },
      actor: { type: 'user', id: 'u-1' },
      occurred_at: '2026-01-01T00:00:01.000Z',
      data: { at: 'x' },
      metadata: { correlation_id: 'c-1', causation_id: 'k-1', request_id: 'r-1' },
    });
  });

  it('a usage stretch is about the instance or stream it metered', () => {
    expect(eventView({ ...recorded('usage-s-1', { subject_type: 'stream', subject_id: 's-1' }), type: 'UsageStretch' }, catalog).target).toEqual({ type: 'stream', id: 's-1' });
  });

  it('an event without an envelope is the system’s, at its recording time', () => {
    expect(eventView(recorded('group-g', {}), catalog)).toMatchObject({ actor: { type: 'system', id: 'system' }, occurred_at: '2026-01-01T00:00:00.000Z', event_version: 1 });
  });

  it('shows the sealed fields of its kind as null, and the names of a sealed object’s values', () => {
    const view = eventView({ ...recorded('account-a', { email: 'enc:v1:x', sealed: { TOKEN: 'sealed:v1:y' }, name: 'kept' }), type: 'Sealing' }, catalog);
    expect(view.data).toEqual({ email: null, sealed: { TOKEN: null }, name: 'kept' });
  });
});
