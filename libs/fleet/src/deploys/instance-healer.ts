import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, ProcessorRegistry, QueueRegistry, runJobCommands } from '@streamplane/core';
import { InstanceCommands } from '../commands/instance-commands';
import { PROVISIONER, Provisioner } from '../provisioner/provisioner.port';
import { InstanceDirectory } from '../queries/instance-directory';

export const HEALTH_QUEUE = 'instance-health';
const CHECK_BATCH = 500;
const PARALLEL_CHECKS = 8;

/**
 * Healing, as Tsuru does it: a scheduled job asks the provisioner whether each running instance
 * is alive; a dead one is recorded as crashed and, while attempts remain, healed — its
 * InstanceHealingStarted event makes the deploy reactor bring it up again. Each attempt is an
 * event, so the history shows every crash and every heal.
 */
@Injectable()
export class InstanceHealer implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly processors: ProcessorRegistry,
    private readonly queues: QueueRegistry,
    private readonly directory: InstanceDirectory,
    private readonly instances: InstanceCommands,
    @Inject(PROVISIONER) private readonly provisioner: Provisioner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.processors.add({ queue: HEALTH_QUEUE, concurrency: 1, process: (job) => this.check(String(job.id)) });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.includes('worker')) return;
    await this.queues
      .queue(HEALTH_QUEUE)
      .upsertJobScheduler('health-check', { every: this.config.healthCheckSeconds * 1000 }, { name: 'check', opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } });
  }

  async check(jobId: string): Promise<number> {
    const running = await this.directory.running(CHECK_BATCH);
    let crashed = 0;
    for (let i = 0; i < running.length; i += PARALLEL_CHECKS) {
      await Promise.all(
        running.slice(i, i + PARALLEL_CHECKS).map(async ({ id, workspace_id }) => {
          if (await this.provisioner.isHealthy(id)) return;
          crashed++;
          await runJobCommands({ id: `${jobId}.${id}`, queueName: HEALTH_QUEUE, data: {} }, () =>
            this.instances.run(workspace_id, id, (now) => ({ type: 'ReportCrashed', error: 'the health check found the instance down', maxHeals: this.config.maxHealingAttempts, now })),
          );
        }),
      );
    }
    return crashed;
  }
}
