import { JobsOptions } from 'bullmq';
import { RecordedEvent } from '@streamplane/eventstore';
import { DomainEvent } from '../domain/decider';
import { EventConsumer } from '../projections/event-consumer';
import { eventRouter, SomeEventHandlers } from '../projections/event-handlers';
import { QueueRegistry } from './queue-registry';

export interface JobRequest {
  name: string;
  data: Record<string, unknown>;
  options?: Omit<JobsOptions, 'jobId'>;
}

export interface ReactorDefinition<E extends DomainEvent = DomainEvent> {
  name: string;
  context: string;
  queue: string;
  /** The jobs each event type it reacts to asks for; usually one. */
  jobs: SomeEventHandlers<E, void, JobRequest[]>;
}

/** The event types a reactor reacts to. */
export function reactorEventTypes(definition: ReactorDefinition): readonly string[] {
  return eventRouter(definition.jobs).eventTypes;
}

/**
 * The id a job gets from the event that asked for it. BullMQ ignores an add whose id it already
 * holds, so an event handled twice (a crash before the checkpoint moved) enqueues once.
 * (BullMQ forbids ':' in custom ids, hence the dots.)
 */
export function jobIdFor(reactor: string, event: Pick<RecordedEvent, 'eventId'>, index: number): string {
  return `${reactor}.${event.eventId}.${index}`;
}

/**
 * The jobs, ready for `addBulk`, that a reactor makes of one event: a queue rebuild that finds the
 * event again offers exactly these, so a job Redis still holds is not added twice.
 */
export function reactorJobs<E extends DomainEvent>(definition: ReactorDefinition<E>, event: RecordedEvent) {
  return (eventRouter(definition.jobs).route(event) ?? []).map((job, index) => ({
    name: job.name,
    // The request's correlation rides along, so what the job writes is found with the request's events.
    data: { ...job.data, event_id: event.eventId, position: event.position.toString(), ...correlationOf(event) },
    opts: { ...job.options, jobId: jobIdFor(definition.name, event, index) },
  }));
}

function correlationOf(event: RecordedEvent): { correlation_id?: string } {
  const correlation = event.metadata.$correlationId;
  return typeof correlation === 'string' ? { correlation_id: correlation } : {};
}

/**
 * Event → BullMQ job, from the reactor's own checkpoint (never next to the append: no dual write).
 * The jobs go to the definition's queue, or to the one `queueFor` names per event (a worker
 * host's own queue, say); a pure function of the event, so a replay picks the same queue.
 */
export function createReactor<E extends DomainEvent>(definition: ReactorDefinition<E>, queues: QueueRegistry, queueFor: (event: RecordedEvent) => string = () => definition.queue): EventConsumer {
  return {
    name: definition.name,
    kind: 'reactor',
    context: definition.context,
    eventTypes: eventRouter(definition.jobs).eventTypes,
    async process(_client, events) {
      const byQueue = new Map<string, ReturnType<typeof reactorJobs>>();
      for (const event of events) {
        const queue = queueFor(event);
        byQueue.set(queue, [...(byQueue.get(queue) ?? []), ...reactorJobs(definition, event)]);
      }
      for (const [queue, jobs] of byQueue) if (jobs.length) await queues.queue(queue).addBulk(jobs);
    },
  };
}
