import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventData, EventStore, JsonObject, RecordedEvent, WrongExpectedRevisionError } from '@streamplane/eventstore';
import { Aggregate, Decider, DomainEvent } from '../domain/decider';
import { workspaceScoped } from '../domain/workspace-scoped';
import { ConflictError } from '../domain/domain-errors';
import { Clock, CLOCK } from '../clock';
import { currentContext, recordWrittenPosition, SYSTEM_ACTOR } from '../context/request-context';
import { MetricsService } from '../metrics/metrics.service';
import { EventCatalog } from './event-catalog';
import { deterministicUuid, newEventId } from './event-ids';

/**
 * Each round of a crowd racing on one stream lets at least one writer through, so the last of N
 * needs up to N attempts: 30 covers the crowds the bulk routes and a busy handler fleet make.
 */
const MAX_ATTEMPTS = 30;
/** Jittered pause growing to 50 ms, so a crowd of writers on one stream spreads out. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));

export interface CommandTarget<Command, Event extends DomainEvent, State> {
  stream: string;
  decider: Decider<Command, Event, State>;
  command: Command;
  /** Tenant of the stream; written into every event's metadata. */
  workspaceId?: string;
  /**
   * A stream the request writes beside its entity (a reservation, a slot). `If-Match` pins the
   * version of the entity the client read, so it must not be checked against these.
   */
  auxiliary?: boolean;
  /** See `Aggregate.eventKeyOf`. */
  eventKeyOf?: (event: Event) => string | undefined;
}

/**
 * A decider command as a Nest command carries it: plain data, without its time. The pipeline stamps
 * `now` from the Clock when it decides, so a command can be logged, queued and replayed as is.
 */
export type Untimed<Command> = Command extends { now: Date } ? Omit<Command, 'now'> : Command;

export interface DecideOptions {
  /** Tenant of the entity: written into every event, and a foreign entity answers 404. */
  workspaceId?: string;
  auxiliary?: boolean;
}

export interface CommandOutcome<Event, State> {
  events: Event[];
  state: State;
  /** Entity version after the command: the number of events in its stream. */
  version: number;
  /** Log position of the last event written; undefined when the decision wrote nothing. */
  position?: bigint;
  /** The events were in the log already (a retried command or append): this run wrote none of them. */
  replayed?: boolean;
}

/**
 * Load the stream, fold it, decide, append at the loaded revision. A concurrent writer makes the
 * append fail; then the whole cycle runs again on fresh state, unless the client pinned a version
 * with If-Match, which makes it a 409.
 */
@Injectable()
export class CommandPipeline {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalog: EventCatalog,
    private readonly metrics: MetricsService,
  ) {}

  /** Every command handler's one call: decide `change` on the entity `id` of `aggregate`, now. */
  decide<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, id: string, change: Untimed<C>, options: DecideOptions = {}): Promise<CommandOutcome<E, S>> {
    const { workspaceId, auxiliary } = options;
    // Every entity state with a noun records its workspace (`workspaceId`); the cast says so.
    const scoped = (decider: Decider<C, E, S>) => workspaceScoped(decider as Decider<C, E, S & { workspaceId?: string }>, workspaceId!, aggregate.noun!) as Decider<C, E, S>;
    const decider = workspaceId !== undefined && aggregate.noun ? scoped(aggregate.decider) : aggregate.decider;
    const command = { ...change, now: this.clock.now() } as C;
    return this.run({ stream: aggregate.category.stream(id), decider, command, workspaceId, auxiliary, eventKeyOf: aggregate.eventKeyOf });
  }

  /** The entity's state straight from the log (a read model may lag behind). */
  async loadEntity<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, id: string): Promise<S> {
    return (await this.load(aggregate.category.stream(id), aggregate.decider)).state;
  }

  async run<C, E extends DomainEvent, S>(target: CommandTarget<C, E, S>): Promise<CommandOutcome<E, S>> {
    const category = target.stream.split('-', 1)[0];
    try {
      const outcome = await this.decideAndAppend(target);
      this.metrics.commands.inc({ stream_category: category, outcome: 'ok' });
      for (const event of outcome.position === undefined || outcome.replayed ? [] : outcome.events) this.metrics.eventsAppended.inc({ type: event.type });
      return outcome;
    } catch (error) {
      this.metrics.commands.inc({ stream_category: category, outcome: error instanceof Error ? error.name : 'error' });
      throw error;
    }
  }

  private async decideAndAppend<C, E extends DomainEvent, S>(target: CommandTarget<C, E, S>): Promise<CommandOutcome<E, S>> {
    const context = currentContext();
    const pinned = target.auxiliary ? undefined : context?.expectedVersion;
    // Reserved once, not per attempt: a client's retry must derive the same event ids.
    const appendIndex = reserveAppendIndex(context);
    const eventIdAt = this.eventIds(target.stream, appendIndex);
    for (let attempt = 1; ; attempt++) {
      const { state, revision, alreadyWritten } = await this.loadForCommand(target.stream, target.decider, eventIdAt);
      if (alreadyWritten.length) return this.replayed(alreadyWritten, state);
      const version = Number(revision + 1n);
      if (pinned !== undefined && BigInt(version) !== pinned) {
        throw new ConflictError(`version is ${version}, but If-Match asked for ${pinned}`);
      }
      const events = target.decider.decide(target.command, state);
      if (events.length === 0) return { events, state, version };
      try {
        const result = await this.store.append(target.stream, this.envelope(target, events, eventIdAt), revision < 0n ? 'no_stream' : revision);
        recordWrittenPosition(result.position);
        const next = events.reduce(target.decider.evolve, state);
        return { events, state: next, version: Number(result.nextRevision + 1n), position: result.position, ...(result.replayed ? { replayed: true } : {}) };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (pinned !== undefined) throw new ConflictError(`${target.stream} changed while the command ran`);
        if (attempt >= MAX_ATTEMPTS) throw new ConflictError(`${target.stream} is changing too fast; try again`);
        await backoff(attempt);
      }
    }
  }

  /**
   * The ids this command's events get: derived from the Idempotency-Key when there is one (the same
   * in every process and every retry), random otherwise.
   */
  private eventIds(stream: string, appendIndex: number): (index: number) => string | undefined {
    const context = currentContext();
    const key = context?.idempotencyKey;
    if (!context || key === undefined) return () => undefined;
    return (index) => deterministicUuid(context.actor.type, context.actor.id, key, stream, String(appendIndex), String(index));
  }

  /** A retry of a command whose events are already in the log: answer with what it wrote then. */
  private replayed<E extends DomainEvent, S>(written: RecordedEvent[], state: S): CommandOutcome<E, S> {
    const last = written[written.length - 1];
    recordWrittenPosition(last.position);
    return { events: written.map((e) => ({ type: e.type, data: e.data }) as E), state, version: Number(last.revision + 1n), position: last.position, replayed: true };
  }

  /** Like `load`, and also collects the events this very command wrote on an earlier attempt. */
  private async loadForCommand<E extends DomainEvent, S>(stream: string, decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, eventIdAt: (index: number) => string | undefined) {
    let state = decider.initialState();
    let revision = -1n;
    const alreadyWritten: RecordedEvent[] = [];
    for await (const recorded of this.store.readStream(stream)) {
      state = decider.evolve(state, { type: recorded.type, data: recorded.data } as E);
      revision = recorded.revision;
      if (recorded.eventId === eventIdAt(alreadyWritten.length)) alreadyWritten.push(recorded);
    }
    return { state, revision, alreadyWritten };
  }

  /** The entity's state and the revision of its last event (-1 for none). */
  async load<E extends DomainEvent, S>(stream: string, decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, toRevision?: bigint) {
    let state = decider.initialState();
    let revision = -1n;
    for await (const recorded of this.store.readStream(stream, { toRevision })) {
      state = decider.evolve(state, { type: recorded.type, data: recorded.data } as E);
      revision = recorded.revision;
    }
    return { state, revision };
  }

  private envelope<E extends DomainEvent>(target: { stream: string; workspaceId?: string; eventKeyOf?: (event: E) => string | undefined }, events: E[], eventIdAt: (index: number) => string | undefined): EventData[] {
    const context = currentContext();
    const correlationId = context?.correlationId ?? context?.requestId ?? newEventId();
    const occurredAt = this.clock.now().toISOString();
    const key = context?.idempotencyKey;
    return events.map((event, index) => {
      const metadata: JsonObject = {
        event_version: this.catalog.versionOf(event.type),
        actor: { ...(context?.actor ?? SYSTEM_ACTOR) },
        $correlationId: correlationId,
        $causationId: context?.causationId ?? correlationId,
        occurred_at: occurredAt,
      };
      // The client's X-Request-Id (or ours), for finding a request's events; never the correlation.
      if (context?.correlationId) metadata.request_id = context.requestId;
      if (target.workspaceId) metadata.workspace_id = target.workspaceId;
      if (key) metadata.idempotency_key = key;
      if (context?.jobId) metadata.job_id = context.jobId;
      const natural = target.eventKeyOf?.(event);
      const eventId = natural === undefined ? (eventIdAt(index) ?? newEventId()) : deterministicUuid('natural', target.stream, natural);
      return { eventId, type: event.type, data: event.data, metadata };
    });
  }
}

/** Several commands in one request (bulk routes) each need their own ids, in a fixed order. */
const appendCounters = new WeakMap<object, number>();
function reserveAppendIndex(context: object | undefined): number {
  if (!context) return 0;
  const index = appendCounters.get(context) ?? 0;
  appendCounters.set(context, index + 1);
  return index;
}
