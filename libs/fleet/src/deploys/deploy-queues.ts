import { createHash } from 'node:crypto';
import { EventConsumer, jobIdFor, QueueRegistry, ReactorDefinition } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';

/** The shared deploy queue: first provisioning (any host may take it), rollouts, and jobs of instances no host runs. */
export const DEPLOYS_QUEUE = 'deploys';

/**
 * A worker host's own deploy queue. Only the host that may run an instance's process can stop,
 * restart or replace it (the local driver's state files are per machine), so those jobs wait here.
 */
export const deployQueueOf = (hostId: string) => `${DEPLOYS_QUEUE}.${createHash('sha256').update(hostId).digest('hex').slice(0, 16)}`;

/**
 * Where an instance event's deploy job goes: the host the event names (the decider puts it on
 * every request that acts on a process), else the shared queue. A pure function of the event, so
 * a replay and a queue rebuild pick the same queue and, with the same job id, add nothing twice.
 */
export function deployQueueFor(event: Pick<RecordedEvent, 'data'>): string {
  const host = (event.data as { host?: unknown }).host;
  return typeof host === 'string' && host ? deployQueueOf(host) : DEPLOYS_QUEUE;
}

/**
 * A reactor whose jobs go to the queue each event names (createReactor has one queue per
 * reactor); the jobs are made exactly as createReactor makes them, ids included.
 */
export function routedReactor(definition: ReactorDefinition, queueFor: (event: RecordedEvent) => string, queues: QueueRegistry): EventConsumer {
  return {
    name: definition.name,
    kind: 'reactor',
    context: definition.context,
    eventTypes: definition.eventTypes,
    async process(_client, events) {
      const byQueue = new Map<string, Array<{ name: string; data: Record<string, unknown>; opts: Record<string, unknown> }>>();
      for (const event of events) {
        const jobs = definition.jobsFor(event).map((job, index) => ({
          name: job.name,
          data: { ...job.data, event_id: event.eventId, position: event.position.toString() },
          opts: { ...job.options, jobId: jobIdFor(definition.name, event, index) },
        }));
        const queue = queueFor(event);
        byQueue.set(queue, [...(byQueue.get(queue) ?? []), ...jobs]);
      }
      for (const [queue, jobs] of byQueue) if (jobs.length) await queues.queue(queue).addBulk(jobs);
    },
  };
}
