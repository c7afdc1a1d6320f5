import { Inject, Injectable, Logger } from '@nestjs/common';
import { jobIdFor, QueueRegistry } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { instanceStreams } from '../domain/instance.events';
import { deployQueueFor } from './deploy-queues';
import { INSTANCE_DEPLOYER } from './instance-deployer';

/**
 * Takes a cancelled deploy's job out of its queue, so it does not even wake a worker. Only a
 * courtesy: the job may be taken already or not yet added (the reactor lags), and then it runs
 * and finds the instance back where the cancel put it, with nothing to do.
 */
@Injectable()
export class QueuedDeployJobs {
  private readonly logger = new Logger(QueuedDeployJobs.name);

  constructor(
    private readonly queues: QueueRegistry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async withdraw(instanceId: string, deployId: string): Promise<boolean> {
    for await (const event of this.store.readStream(instanceStreams.stream(instanceId))) {
      if (event.type !== 'DeployRequested' || event.data.deploy_id !== deployId) continue;
      try {
        // The instance deployer's job for this event: the first (and only) one it asks for.
        return (await this.queues.queue(deployQueueFor(event)).remove(jobIdFor(INSTANCE_DEPLOYER.name, event, 0))) === 1;
      } catch (error) {
        this.logger.warn(`could not withdraw the job of deploy ${deployId}: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      }
    }
    return false;
  }
}
