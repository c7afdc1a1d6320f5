import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { PG_POOL, QueueRebuilder, QueueReconciler, QueueRegistry, reactorEventTypes, reactorJobs } from '@streamplane/core';
import { EVENT_STORE, EventStore, RecordedEvent } from '@streamplane/eventstore';
import { instanceDecider, InstanceStatus } from '../domain/instance.decider';
import { InstanceEvent, instanceStreams } from '../domain/instance.events';
import { DEPLOYS_QUEUE, deployQueueFor, INSTANCE_DEPLOYER } from './instance-deployer';

/** Statuses that wait for a deploy job to move them on. */
const IN_TRANSITION: readonly string[] = ['pending', 'provisioning', 'stopping', 'deleting'] satisfies InstanceStatus[];
const PAGE = 500;

/**
 * Puts back the deploy job of every instance that waits for one, when Redis lost them: the job its
 * latest request event asked for, made by the deployer reactor's own definition, so its id is the
 * one Redis may still hold (and then nothing is added). A job that runs again is harmless: deploy
 * jobs look at the instance first and the provisioner keeps one process per instance.
 */
@Injectable()
export class DeployQueueRebuild implements QueueReconciler, OnModuleInit {
  readonly name = DEPLOYS_QUEUE;

  constructor(
    private readonly rebuilder: QueueRebuilder,
    private readonly queues: QueueRegistry,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    this.rebuilder.add(this);
  }

  async reconcile(): Promise<number> {
    let offered = 0;
    let after: string | null = null;
    for (;;) {
      const { rows }: { rows: Array<{ id: string }> } = await this.pool.query<{ id: string }>(
        `SELECT id FROM read.instances WHERE status = ANY($1::text[]) AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3`,
        [IN_TRANSITION, after, PAGE],
      );
      for (const { id } of rows) {
        const request = await this.latestRequest(id);
        if (!request) continue;
        const jobs = reactorJobs(INSTANCE_DEPLOYER, request);
        // The queue the reactor chose: its host's, when the event names one.
        await this.queues.queue(deployQueueFor(request)).addBulk(jobs);
        offered += jobs.length;
      }
      if (rows.length < PAGE) return offered;
      after = rows[rows.length - 1].id;
    }
  }

  /**
   * The instance's last event that asked for a deploy job, if the log (not the read model, which may
   * lag) still has the instance waiting. The store upcasts what it reads, as it does for the command side.
   */
  private async latestRequest(instanceId: string): Promise<RecordedEvent | undefined> {
    let latest: RecordedEvent | undefined;
    let state = instanceDecider.initialState();
    const requests = reactorEventTypes(INSTANCE_DEPLOYER);
    for await (const event of this.store.readStream(instanceStreams.stream(instanceId))) {
      // An instance stream holds only instance events, in their current shape.
      state = instanceDecider.evolve(state, { type: event.type, data: event.data } as InstanceEvent);
      if (requests.includes(event.type)) latest = event;
    }
    return IN_TRANSITION.includes(state.status) ? latest : undefined;
  }
}
