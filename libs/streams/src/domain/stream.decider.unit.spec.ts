import { InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { deciderSpec } from '@streamplane/testing';
import { DEFAULT_AUTORESTART, StreamCommand, streamDecider } from './stream.decider';
import { StreamEvent, StreamSpec } from './stream.events';
import { STREAM_STATUSES, StreamAction, StreamStatus } from './stream-status';

const T0 = new Date('2026-11-25T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();
const spec = (overrides: Partial<StreamSpec> = {}): StreamSpec => ({
  name: 'cam-1',
  description: '',
  data: { reference: 'file:///tmp/cam-1.mp4', type: 'videofile' },
  event_handler: {},
  policies: {},
  autorestart: DEFAULT_AUTORESTART,
  location: null,
  ...overrides,
});

const created = (autorestart = DEFAULT_AUTORESTART): StreamEvent => ({
  type: 'StreamCreated',
  data: { stream_id: 's1', workspace_id: 'w1', ...spec({ autorestart }), status: 'pending', group_id: null, at: iso(0) },
});
const queued = (ticket = 1): StreamEvent => ({ type: 'StreamQueued', data: { ticket, at: iso(0) } });
const taken = (ticket = 1, seconds = 1): StreamEvent => ({
  type: 'StreamTaken',
  data: { ticket, lease_token: 'lease-a', lease_seconds: 30, lease_expires_at: iso(seconds + 30), at: iso(seconds) },
});

/** A history that leaves the stream in each status. */
const HISTORY: Record<StreamStatus, StreamEvent[]> = {
  pending: [created(), queued()],
  in_progress: [created(), queued(), taken()],
  done: [created(), queued(), taken(), { type: 'StreamCompleted', data: { video_info: null, at: iso(5) } }],
  pause: [created(), queued(), { type: 'StreamPaused', data: { dropped_job: { ticket: 1, lease_token: null }, at: iso(2) } }],
  restart: [created(), queued(), taken(), { type: 'StreamRestartRequested', data: { ticket: 2, attempt: 0, delay_seconds: 0, by: 'handler', at: iso(3) } }],
  cancel: [created(), queued(), { type: 'StreamCancelled', data: { at: iso(2) } }],
  failure: [created(), queued(), taken(), { type: 'StreamFailed', data: { error: 'boom', video_info: null, at: iso(4) } }],
  handler_lost: [created(), queued(), taken(), { type: 'StreamHandlerLost', data: { lease_expired_at: iso(31), at: iso(32) } }],
  not_found: [created(), queued(), taken(), { type: 'StreamDeleted', data: { dropped_job: { ticket: 1, lease_token: 'lease-a' }, at: iso(3) } }],
};

/** One command per action, shaped for the status it is tried from. */
function commandFor(action: StreamAction, from: StreamStatus): StreamCommand {
  const ticket = from === 'restart' ? 2 : 1;
  switch (action) {
    case 'pause':
      return { type: 'Update', status: 'pause', now: at(10) };
    case 'resume':
      return { type: 'Update', status: 'pending', now: at(10) };
    case 'cancel':
      return { type: 'Update', status: 'cancel', now: at(10) };
    case 'replace':
      return { type: 'Replace', spec: spec({ name: 'cam-2' }), status: 'pending', now: at(10) };
    case 'take':
      return { type: 'Take', ticket, leaseToken: 'lease-b', leaseSeconds: 30, now: at(10) };
    case 'heartbeat':
      return { type: 'Heartbeat', now: at(12) };
    case 'complete':
      return { type: 'Complete', videoInfo: { bytes: 10 }, now: at(10) };
    case 'fail':
      return { type: 'Fail', error: 'decoder crashed', videoInfo: null, now: at(10) };
    case 'request_restart':
      return { type: 'RequestRestart', now: at(10) };
    case 'lose_handler':
      return { type: 'ExpireLease', now: at(40) };
  }
}

const decideFrom = (from: StreamStatus, command: StreamCommand) => streamDecider.decide(command, HISTORY[from].reduce(streamDecider.evolve, streamDecider.initialState()));

/**
 * The transition table of API.md and Luna-Streams, written out here by hand: every status a stream
 * can be in, every action, and what the decider must answer — the exact events, or a refusal
 * (InvalidStateError, a 400), or a 404 (NotFoundError) for a stream deleted under its handler
 * (Luna's `not_found`: its handler's feedback is told so). It does not read the decider's own table, so a wrong entry there
 * fails here. Tickets follow the histories above: `restart` holds ticket 2, every other status 1;
 * `in_progress` holds the lease `lease-a` taken at 1 s for 30 s.
 */
const REFUSED = 'refused (400)' as const;
const GONE = 'gone (404)' as const;
type Cell = StreamEvent[] | typeof REFUSED | typeof GONE;
const drop = (ticket: number, lease_token: string | null = null) => ({ dropped_job: { ticket, lease_token } });
const heldLease = drop(1, 'lease-a');
const cam2 = spec({ name: 'cam-2' });

const paused = (d: object = {}): StreamEvent[] => [{ type: 'StreamPaused', data: { ...d, at: iso(10) } }];
const resumed = (ticket: number): StreamEvent[] => [{ type: 'StreamResumed', data: { ticket, at: iso(10) } }];
const cancelled = (d: object = {}): StreamEvent[] => [{ type: 'StreamCancelled', data: { ...d, at: iso(10) } }];
const replaced = (ticket: number, d: object = {}): StreamEvent[] => [{ type: 'StreamReplaced', data: { ...cam2, status: 'pending', ...d, ticket, at: iso(10) } }];
const takenAgain = (ticket: number): StreamEvent[] => [{ type: 'StreamTaken', data: { ticket, lease_token: 'lease-b', lease_seconds: 30, lease_expires_at: iso(40), at: iso(10) } }];

const TABLE: Record<StreamStatus, Record<Exclude<StreamAction, 'lose_handler'>, Cell>> = {
  pending: {
    pause: paused(drop(1)),
    resume: REFUSED,
    cancel: cancelled(drop(1)),
    replace: replaced(2, drop(1)),
    take: takenAgain(1),
    heartbeat: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    request_restart: REFUSED,
  },
  in_progress: {
    pause: paused(heldLease),
    resume: REFUSED,
    cancel: cancelled(heldLease),
    replace: REFUSED,
    take: REFUSED,
    heartbeat: [{ type: 'StreamHeartbeat', data: { lease_expires_at: iso(42), at: iso(12) } }],
    complete: [{ type: 'StreamCompleted', data: { video_info: { bytes: 10 }, ...heldLease, at: iso(10) } }],
    fail: [{ type: 'StreamFailed', data: { error: 'decoder crashed', video_info: null, ...heldLease, at: iso(10) } }],
    request_restart: [{ type: 'StreamRestartRequested', data: { ticket: 2, attempt: 0, delay_seconds: 0, by: 'handler', ...heldLease, at: iso(10) } }],
  },
  done: {
    pause: REFUSED,
    resume: resumed(2),
    cancel: REFUSED,
    replace: replaced(2),
    take: REFUSED,
    heartbeat: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    request_restart: REFUSED,
  },
  pause: {
    pause: REFUSED,
    resume: resumed(2),
    cancel: cancelled(),
    replace: replaced(2),
    take: REFUSED,
    heartbeat: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    request_restart: REFUSED,
  },
  restart: {
    pause: paused(drop(2)),
    resume: REFUSED,
    cancel: cancelled(drop(2)),
    replace: replaced(3, drop(2)),
    take: takenAgain(2),
    heartbeat: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    request_restart: REFUSED,
  },
  cancel: {
    pause: REFUSED,
    resume: resumed(2),
    cancel: REFUSED,
    replace: replaced(2),
    take: REFUSED,
    heartbeat: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    request_restart: REFUSED,
  },
  failure: {
    pause: REFUSED,
    resume: resumed(2),
    cancel: cancelled(),
    replace: replaced(2),
    take: REFUSED,
    heartbeat: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    request_restart: REFUSED,
  },
  handler_lost: {
    pause: REFUSED,
    resume: resumed(2),
    cancel: cancelled(),
    replace: replaced(2),
    take: REFUSED,
    heartbeat: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    request_restart: REFUSED,
  },
  not_found: {
    pause: GONE,
    resume: GONE,
    cancel: GONE,
    replace: GONE,
    take: GONE,
    heartbeat: GONE,
    complete: GONE,
    fail: GONE,
    request_restart: GONE,
  },
};

describe('stream decider: the transition table', () => {
  const cells = (Object.keys(TABLE) as StreamStatus[]).flatMap((from) =>
    (Object.keys(TABLE[from]) as Exclude<StreamAction, 'lose_handler'>[]).map((action) => ({ from, action, expected: TABLE[from][action] })),
  );

  it.each(cells.filter((c) => Array.isArray(c.expected)))('$action from $from writes exactly its events', ({ from, action, expected }) => {
    expect(decideFrom(from, commandFor(action, from))).toEqual(expected);
  });

  it.each(cells.filter((c) => c.expected === REFUSED))('$action is refused from $from (400)', ({ action, from }) => {
    const run = () => decideFrom(from, commandFor(action, from));
    expect(run).toThrow(InvalidStateError);
    expect(run).toThrow(`a stream that is ${from} cannot ${action.replace('_', ' ')}`);
  });

  it.each(cells.filter((c) => c.expected === GONE))('$action on a stream deleted under its handler ($from) is 404', ({ action, from }) => {
    expect(() => decideFrom(from, commandFor(action, from))).toThrow(NotFoundError);
  });

  it('a stream deleted while a handler holds it is not_found; deleted in any other status it is simply gone', () => {
    const deleteAt = (from: StreamStatus) => [...HISTORY[from], ...decideFrom(from, { type: 'Delete', now: at(20) })].reduce(streamDecider.evolve, streamDecider.initialState());
    expect(deleteAt('in_progress').status).toBe('not_found');
    for (const from of STREAM_STATUSES.filter((s) => s !== 'in_progress' && s !== 'not_found')) expect(deleteAt(from).status).toBe('deleted');
    expect(() => decideFrom('not_found', { type: 'Delete', now: at(20) })).toThrow(NotFoundError);
    expect(() => decideFrom('not_found', { type: 'Update', description: 'x', now: at(20) })).toThrow(NotFoundError);
  });

  it('the lease clock loses the handler of an in_progress stream once its lease ran out, and of no other', () => {
    expect(decideFrom('in_progress', commandFor('lose_handler', 'in_progress'))).toEqual([
      { type: 'StreamHandlerLost', data: { lease_expired_at: iso(31), ...heldLease, at: iso(40) } },
    ]);
    for (const from of STREAM_STATUSES.filter((s) => s !== 'in_progress')) expect(decideFrom(from, commandFor('lose_handler', from))).toEqual([]);
  });

  it('the table covers every status of the contract and every action, and each status has a history', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...STREAM_STATUSES].sort());
    expect(Object.keys(HISTORY).sort()).toEqual([...STREAM_STATUSES].sort());
    const actions: StreamAction[] = ['pause', 'resume', 'cancel', 'replace', 'take', 'heartbeat', 'complete', 'fail', 'request_restart'];
    for (const status of STREAM_STATUSES) {
      expect(Object.keys(TABLE[status]).sort()).toEqual([...actions].sort());
      expect(HISTORY[status].reduce(streamDecider.evolve, streamDecider.initialState()).status).toBe(status);
    }
  });
});

describe('stream decider: the queue and the lease', () => {
  const spec_ = deciderSpec(streamDecider);

  it('a pending create queues with ticket 1; a paused create does not queue', () => {
    const create = (status: 'pending' | 'pause'): StreamCommand => ({ type: 'Create', streamId: 's1', workspaceId: 'w1', spec: spec(), status, groupId: null, now: T0 });
    // One event per client write: the version a create answers is 1 either way.
    const pending = streamDecider.decide(create('pending'), streamDecider.initialState());
    expect(pending.map((e) => e.type)).toEqual(['StreamCreated']);
    expect(pending[0].data).toMatchObject({ status: 'pending', ticket: 1 });
    const paused = streamDecider.decide(create('pause'), streamDecider.initialState());
    expect(paused.map((e) => e.type)).toEqual(['StreamCreated']);
    expect(paused[0].data).not.toHaveProperty('ticket');
  });

  it('folds both shapes of a pending create to the same state: ticket in StreamCreated, or an older StreamQueued after it', () => {
    const [oneEvent] = streamDecider.decide({ type: 'Create', streamId: 's1', workspaceId: 'w1', spec: spec(), status: 'pending', groupId: null, now: T0 }, streamDecider.initialState());
    const fold = (events: StreamEvent[]) => events.reduce(streamDecider.evolve, streamDecider.initialState());
    expect(fold([oneEvent])).toEqual(fold([created(), queued()]));
    expect(fold([oneEvent])).toMatchObject({ status: 'pending', ticket: 1, dueAt: T0.getTime() });
  });

  it('a stale queue entry (an older ticket) cannot be taken', () => {
    spec_.given([created(), queued(), { type: 'StreamPaused', data: { at: iso(1) } }, { type: 'StreamResumed', data: { ticket: 2, at: iso(2) } }])
      .when({ type: 'Take', ticket: 1, leaseToken: 'x', leaseSeconds: 30, now: at(3) })
      .thenThrows(InvalidStateError, /stale/);
  });

  it('take leases the stream until now + lease', () => {
    spec_.given([created(), queued()]).when({ type: 'Take', ticket: 1, leaseToken: 'tok', leaseSeconds: 30, now: at(1) }).then([taken(1, 1)].map((e) => ({ ...e, data: { ...e.data, lease_token: 'tok' } })) as StreamEvent[]);
  });

  it('records a heartbeat only once a third of the lease has passed since the last sign of life', () => {
    spec_.given([created(), queued(), taken(1, 1)]).when({ type: 'Heartbeat', now: at(10) }).then([]);
    spec_.given([created(), queued(), taken(1, 1)]).when({ type: 'Heartbeat', now: at(11) }).then([{ type: 'StreamHeartbeat', data: { lease_expires_at: iso(41), at: iso(11) } }]);
  });

  it('refuses a heartbeat after the lease ran out', () => {
    spec_.given([created(), queued(), taken(1, 1)]).when({ type: 'Heartbeat', now: at(32) }).thenThrows(InvalidStateError, /expired/);
  });

  it('loses the handler only once the lease (as renewed by heartbeats) has run out', () => {
    const beat: StreamEvent = { type: 'StreamHeartbeat', data: { lease_expires_at: iso(51), at: iso(21) } };
    spec_.given([created(), queued(), taken(1, 1), beat]).when({ type: 'ExpireLease', now: at(40) }).then([]);
    spec_.given([created(), queued(), taken(1, 1), beat])
      .when({ type: 'ExpireLease', now: at(52) })
      .then([{ type: 'StreamHandlerLost', data: { lease_expired_at: iso(51), dropped_job: { ticket: 1, lease_token: 'lease-a' }, at: iso(52) } }]);
  });

  it('autorestart queues a failed stream again, delayed, until the attempts are spent', () => {
    const policy = { restart: 1 as const, attempt_count: 2, delay: 5 };
    const fail: StreamCommand = { type: 'Fail', error: 'x', videoInfo: null, now: at(10) };
    const failed = (attempt: number, ticket: number): StreamEvent[] => [
      { type: 'StreamFailed', data: { error: 'x', video_info: null, at: iso(10) } },
      { type: 'StreamRestartRequested', data: { ticket: ticket + 1, attempt, delay_seconds: 5, by: 'autorestart', at: iso(10) } },
    ];
    const first = decideFrom('pending', { type: 'Take', ticket: 1, leaseToken: 't', leaseSeconds: 30, now: at(1) });
    const history = [created(policy), queued(), ...first];
    const afterFirst = streamDecider.decide(fail, history.reduce(streamDecider.evolve, streamDecider.initialState()));
    expect(afterFirst[1]).toMatchObject({ type: 'StreamRestartRequested', data: { ticket: 2, attempt: 1, delay_seconds: 5 } });

    const second = [...history, ...failed(1, 1), taken(2, 20)];
    const afterSecond = streamDecider.decide(fail, second.reduce(streamDecider.evolve, streamDecider.initialState()));
    expect(afterSecond[1]).toMatchObject({ type: 'StreamRestartRequested', data: { ticket: 3, attempt: 2 } });

    const third = [...second, ...failed(2, 2), taken(3, 40)];
    expect(streamDecider.decide(fail, third.reduce(streamDecider.evolve, streamDecider.initialState())).map((e) => e.type)).toEqual(['StreamFailed']);
  });

  it('a paused or cancelled stream names the queue job it drops, with the lease when a handler held it', () => {
    expect(decideFrom('pending', { type: 'Update', status: 'pause', now: at(5) })[0].data).toMatchObject({ dropped_job: { ticket: 1, lease_token: null } });
    expect(decideFrom('in_progress', { type: 'Update', status: 'cancel', now: at(5) })[0].data).toMatchObject({ dropped_job: { ticket: 1, lease_token: 'lease-a' } });
    expect(decideFrom('done', { type: 'Delete', now: at(5) })[0].data).not.toHaveProperty('dropped_job');
  });

  it('a deleted stream is gone', () => {
    spec_.given([...HISTORY.pending, { type: 'StreamDeleted', data: { at: iso(3) } }]).when({ type: 'Update', description: 'x', now: at(4) }).thenThrows(NotFoundError);
    spec_.given([]).when({ type: 'Delete', now: at(4) }).thenThrows(NotFoundError);
  });

  it('PUT replaces the stream and queues it anew with the next ticket', () => {
    const events = decideFrom('failure', { type: 'Replace', spec: spec({ name: 'cam-9' }), status: 'pending', now: at(10) });
    expect(events.map((e) => e.type)).toEqual(['StreamReplaced']);
    expect(events[0].data).toMatchObject({ status: 'pending', ticket: 2 });
  });
});
