import { createHash } from 'node:crypto';
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
  const host = event.data.host;
  return typeof host === 'string' && host ? deployQueueOf(host) : DEPLOYS_QUEUE;
}
