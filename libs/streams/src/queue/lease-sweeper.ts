import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig, ProcessorRegistry, QueueRebuilder, QueueRegistry, runJobCommands } from '@streamplane/core';
import { ChangeStream } from '../commands/stream-lifecycle';
import { StreamDirectory } from '../queries/stream-directory';

export const LEASES_QUEUE = 'stream-leases';
const SWEEP_BATCH = 500;

/**
 * Marks taken streams whose lease ran out as `handler_lost` (and lets their autorestart policy
 * queue them again). A BullMQ job scheduler runs the sweep on one worker at a time, every third
 * of a lease; the read model only nominates candidates — the decider checks each lease against
 * the log, so a heartbeat that arrived in between wins.
 */
@Injectable()
export class LeaseSweeper implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly processors: ProcessorRegistry,
    private readonly queues: QueueRegistry,
    private readonly directory: StreamDirectory,
    private readonly commands: CommandBus,
    private readonly rebuilder: QueueRebuilder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.processors.add({ queue: LEASES_QUEUE, concurrency: 1, process: (job) => this.sweep(String(job.id)) });
    // The schedule lives in Redis only: an emptied Redis gets it back, or leases would never run out.
    this.rebuilder.add({ name: LEASES_QUEUE, reconcile: () => this.schedule() });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.includes('worker')) return;
    await this.schedule();
  }

  private async schedule(): Promise<number> {
    const every = Math.max(500, Math.min(5000, (this.config.streamLeaseSeconds * 1000) / 3));
    await this.queues.queue(LEASES_QUEUE).upsertJobScheduler('lease-sweep', { every }, { name: 'sweep', opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } });
    return 1;
  }

  async sweep(jobId: string): Promise<number> {
    const expired = await this.directory.expiredLeases(SWEEP_BATCH);
    for (const { stream_id, workspace_id } of expired) {
      // One job context per stream: its events get ids of their own, the same on a rerun.
      await runJobCommands({ id: `${jobId}.${stream_id}`, queueName: LEASES_QUEUE, data: {} }, () => this.commands.execute(new ChangeStream(workspace_id, stream_id, { type: 'ExpireLease' })));
    }
    return expired.length;
  }
}
