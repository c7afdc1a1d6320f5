import { createHash } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, CommandPipeline, ProcessorRegistry, QueueRebuilder, QueueRegistry, runJobCommands } from '@streamplane/core';
import { instances } from '../domain/instance.decider';
import { PROVISIONER, Provisioner } from '../provisioner/provisioner.port';
import { InstanceDirectory } from '../queries/instance-directory';
import { WorkerHosts } from './worker-hosts';

export const HEALTH_QUEUE = 'instance-health';
const CHECK_BATCH = 500;
const PARALLEL_CHECKS = 8;

/**
 * Each worker host checks its own instances on its own queue: with one shared schedule, whichever
 * host took the job would find every other host's instances "down" and start copies of them.
 */
export const healthQueueOf = (hostId: string) => `${HEALTH_QUEUE}.${createHash('sha256').update(hostId).digest('hex').slice(0, 16)}`;

/**
 * Healing, as Tsuru does it: a scheduled job asks the provisioner whether each running instance
 * is alive; a dead one is recorded as crashed and, while attempts remain, healed — its
 * InstanceHealingStarted event makes the deploy reactor bring it up again. Each attempt is an
 * event, so the history shows every crash and every heal.
 *
 * Only the host that runs an instance (InstanceProvisioned.host) checks it. Each check is also
 * that host's heartbeat; every host reports the running instances of hosts silent for
 * WORKER_HOST_LOST_SECONDS as InstanceHostLost — reported, never started a second time.
 */
@Injectable()
export class InstanceHealer implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly processors: ProcessorRegistry,
    private readonly queues: QueueRegistry,
    private readonly directory: InstanceDirectory,
    private readonly pipeline: CommandPipeline,
    @Inject(PROVISIONER) private readonly provisioner: Provisioner,
    private readonly rebuilder: QueueRebuilder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hosts: WorkerHosts,
  ) {}

  private get queueName(): string {
    return healthQueueOf(this.provisioner.hostId);
  }

  onModuleInit(): void {
    this.processors.add({ queue: this.queueName, concurrency: 1, process: (job) => this.check(String(job.id)) });
    // The schedule lives in Redis only: an emptied Redis gets it back, or nothing would heal. Each
    // worker host owns its schedule, so each puts its own back (a scope of its own).
    if (this.config.roles.includes('worker')) this.rebuilder.add({ name: this.queueName, scope: this.queueName, reconcile: () => this.schedule() });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.includes('worker')) return;
    // Beat before the first deploy job can record this host on an instance.
    await this.hosts.beat(this.provisioner.hostId);
    await this.schedule();
  }

  private async schedule(): Promise<number> {
    await this.queues
      .queue(this.queueName)
      .upsertJobScheduler('health-check', { every: this.config.healthCheckSeconds * 1000 }, { name: 'check', opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } });
    return 1;
  }

  async check(jobId: string): Promise<number> {
    const host = this.provisioner.hostId;
    await this.hosts.beat(host);
    const job = (id: string) => ({ id: `${jobId}.${id}`, queueName: this.queueName, data: {} });
    // Instances from before hosts were recorded: only the host with a record of one checks it.
    const mine = (await this.directory.runningOn(host, CHECK_BATCH)).filter((i) => i.host !== null || this.provisioner.runsHere(i.id));
    let crashed = 0;
    for (let i = 0; i < mine.length; i += PARALLEL_CHECKS) {
      await Promise.all(
        mine.slice(i, i + PARALLEL_CHECKS).map(async ({ id, workspace_id, host_lost }) => {
          if (await this.provisioner.isHealthy(id)) {
            if (host_lost) await runJobCommands(job(id), () => this.pipeline.decide(instances, id, { type: 'ReportHostReturned', host }, { workspaceId: workspace_id }));
            return;
          }
          crashed++;
          await runJobCommands(job(id), () =>
            this.pipeline.decide(instances, id, { type: 'ReportCrashed', error: 'the health check found the instance down', maxHeals: this.config.maxHealingAttempts }, { workspaceId: workspace_id }),
          );
        }),
      );
    }
    for (const lost of await this.directory.onSilentHosts(this.config.workerHostLostSeconds, CHECK_BATCH)) {
      await runJobCommands(job(lost.id), () => this.pipeline.decide(instances, lost.id, { type: 'ReportHostLost', host: lost.host }, { workspaceId: lost.workspace_id }));
    }
    return crashed;
  }
}
