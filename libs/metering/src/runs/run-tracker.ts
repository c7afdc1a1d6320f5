import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ConsumerRegistry, EventConsumer, runJobCommands } from '@streamplane/core';
import { EVENT_STORE, EventStore, RecordedEvent } from '@streamplane/eventstore';
import { InstanceEvent, instanceStreams } from '@streamplane/fleet';
import { StreamEvent, streamStreams } from '@streamplane/streams';
import { ChangeMeter } from '../commands/meter-commands';
import { UsageRates, UsageSubject } from '../domain/usage.events';
import { METERING_QUEUE } from '../jobs/metering-jobs';
import { RUN_TRACKER } from '../queries/meter-directory';
import { INSTANCE_RUNS, RUN_EVENT_TYPES, RunBoundary, STREAM_RUNS } from './run-boundaries';
import { UsageRatesSource } from './usage-rates';

/**
 * Starts and stops meters from the fleet's and the streams' events, in log order from its own
 * checkpoint: a run starts at the `at` of the event that began it and ends at the `at` of the one
 * that ended it, so the last partial stretch is exact whenever the tracker gets to it. Each
 * command runs in a context keyed by the event, and the meter ignores starts and ends it has seen:
 * an event handled twice (a crash before the checkpoint moved) writes nothing twice.
 */
@Injectable()
export class RunTracker implements EventConsumer {
  readonly name = RUN_TRACKER;
  readonly kind = 'reactor' as const;
  readonly context = 'metering';
  readonly eventTypes = RUN_EVENT_TYPES;

  constructor(
    registry: ConsumerRegistry,
    private readonly commands: CommandBus,
    private readonly rates: UsageRatesSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    registry.add(this);
  }

  async process(_client: unknown, events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      const boundary = this.boundaryOf(event);
      if (!boundary) continue;
      const workspaceId = String(event.metadata.workspace_id);
      const at = new Date(String(event.data.at));
      const subjectId = instanceStreams.holds(event.streamId) ? instanceStreams.idOf(event.streamId) : streamStreams.idOf(event.streamId);
      const change =
        boundary === 'end'
          ? new ChangeMeter(workspaceId, subjectId, { type: 'EndRun', endedAt: at })
          : new ChangeMeter(workspaceId, subjectId, { type: 'StartRun', startedAt: at, ...(await this.subjectAt(event, workspaceId, subjectId)) });
      await runJobCommands({ id: `run.${event.eventId}`, queueName: METERING_QUEUE, data: { event_id: event.eventId } }, () => this.commands.execute(change));
    }
  }

  private boundaryOf(event: RecordedEvent): RunBoundary | null {
    const boundary = instanceStreams.holds(event.streamId) ? INSTANCE_RUNS[event.type as InstanceEvent['type']] : streamStreams.holds(event.streamId) ? STREAM_RUNS[event.type as StreamEvent['type']] : null;
    // Each event's own entry: its data is that event's.
    return typeof boundary === 'function' ? (boundary as (data: unknown) => RunBoundary | null)(event.data) : (boundary ?? null);
  }

  /** Who the subject was when its run began (name, cluster, machine type, location) and its rates then. */
  private async subjectAt(event: RecordedEvent, workspaceId: string, subjectId: string): Promise<{ subject: UsageSubject; rates: UsageRates }> {
    const history: RecordedEvent[] = [];
    for await (const earlier of this.store.readStream(event.streamId, { toRevision: event.revision })) history.push(earlier);
    if (instanceStreams.holds(event.streamId)) {
      const config = instanceConfigOf(history as unknown as Array<RecordedEvent & InstanceEvent>);
      return {
        subject: { subject_type: 'instance', subject_id: subjectId, workspace_id: workspaceId, cluster_id: config.cluster_id, ...(config.name ? { name: config.name } : {}) },
        rates: await this.rates.forInstance(config.machine_type, config.location),
      };
    }
    const name = streamNameOf(history as unknown as Array<RecordedEvent & StreamEvent>);
    return { subject: { subject_type: 'stream', subject_id: subjectId, workspace_id: workspaceId, ...(name ? { name } : {}) }, rates: this.rates.forStream() };
  }
}

/** An instance's name, cluster, machine type and location as its events left them. */
function instanceConfigOf(history: InstanceEvent[]) {
  const config = { cluster_id: '', name: null as string | null, machine_type: '', location: '' };
  for (const event of history) {
    if (event.type === 'InstanceRequested') Object.assign(config, { cluster_id: event.data.cluster_id, name: event.data.name, machine_type: event.data.machine_type, location: event.data.location });
    if (event.type === 'InstanceReconfigured') {
      if (event.data.machine_type !== undefined) config.machine_type = event.data.machine_type;
      if (event.data.location !== undefined) config.location = event.data.location;
    }
  }
  return config;
}

function streamNameOf(history: StreamEvent[]): string {
  let name = '';
  for (const event of history) if (event.type === 'StreamCreated' || event.type === 'StreamReplaced') name = event.data.name;
  return name;
}
