import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { CommandOutcome, CommandPipeline, ConsumerRegistry, InvalidStateError, createReactor, deterministicUuid, JobRequest, ProcessorRegistry, QueueRegistry, ReactorDefinition, RecordedEventOf, runJobCommands, Untimed } from '@streamplane/core';
import { InstanceDirectory } from '../queries/instance-directory';
import { InstanceSlots } from '../commands/instance-slots';
import { PROVISIONER, Provisioner } from '../provisioner/provisioner.port';
import { HostLostError, InstanceCommand, instances, InstanceState } from '../domain/instance.decider';
import { ClusterEvent, clusterStreams } from '../domain/cluster.events';
import { InstanceEvent, instanceStreams } from '../domain/instance.events';
import { FleetSecrets } from '../secrets/fleet-secrets';
import { processEnv } from '../secrets/env-secrets';
import { DEPLOYS_QUEUE, deployQueueFor, deployQueueOf } from './deploy-queues';

export { DEPLOYS_QUEUE, deployQueueFor, deployQueueOf } from './deploy-queues';

/** One pass for the deploy, one to bring the previous version back after a cancel, one spare. */
const MAX_PROVISION_PASSES = 3;

/** The deploy job an instance request event asks for: what the job does with the instance's process. */
const deployJob =
  (action: 'provision' | 'restart' | 'stop' | 'delete') =>
  (event: RecordedEventOf<InstanceEvent>): JobRequest[] => [
    { name: action, data: { instance_id: instanceStreams.idOf(event.streamId), workspace_id: String(event.metadata.workspace_id) }, options: { attempts: 3 } },
  ];

/**
 * Instance request event → deploy job, on the queue deployQueueFor names (its host's, or the
 * shared one); the queue rebuild uses both too, for the same job ids on the same queues.
 */
export const INSTANCE_DEPLOYER: ReactorDefinition<InstanceEvent> = {
  name: 'instance-deployer',
  context: 'fleet',
  queue: DEPLOYS_QUEUE,
  jobs: {
    InstanceRequested: deployJob('provision'),
    InstanceStartRequested: deployJob('provision'),
    InstanceRestartRequested: deployJob('restart'),
    InstanceHealingStarted: deployJob('provision'),
    DeployRequested: deployJob('provision'),
    InstanceStopRequested: deployJob('stop'),
    InstanceDeleteRequested: deployJob('delete'),
  },
};

/** A cluster's new image rolls out as one deploy per instance. */
export const CLUSTER_ROLLOUT: ReactorDefinition<ClusterEvent> = {
  name: 'cluster-rollout',
  context: 'fleet',
  queue: DEPLOYS_QUEUE,
  jobs: {
    ClusterImageChanged: (event) => [
      { name: 'rollout', data: { cluster_id: clusterStreams.idOf(event.streamId), workspace_id: String(event.metadata.workspace_id), image_version: event.data.image_version } },
    ],
  },
};

/**
 * Brings instances to the state their events ask for: a reactor turns each request into a job
 * (id from the event), and the job drives the provisioner, then reports back with commands whose
 * event ids derive from the job id. A job that runs twice — a worker killed mid-deploy leaves it
 * stalled and BullMQ hands it to another — finds the provisioner's copy running (or replaces it)
 * and its reports already written: one process, one story.
 *
 * Each worker host takes jobs from the shared `deploys` queue and from its own: a job that acts
 * on an instance's process goes to the queue of the host its event names, so no other host
 * "stops" nothing or starts a second copy.
 */
@Injectable()
export class InstanceDeployer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly processors: ProcessorRegistry,
    private readonly queues: QueueRegistry,
    private readonly pipeline: CommandPipeline,
    private readonly slots: InstanceSlots,
    @Inject(PROVISIONER) private readonly provisioner: Provisioner,
    private readonly directory: InstanceDirectory,
    private readonly secrets: FleetSecrets,
  ) {}

  onModuleInit(): void {
    this.consumers.add(createReactor(INSTANCE_DEPLOYER, this.queues, deployQueueFor), createReactor(CLUSTER_ROLLOUT, this.queues));
    const handle = (job: Job) => runJobCommands(job, () => (job.name === 'rollout' ? this.rollout(job) : this.run(job)));
    this.processors.add({ queue: DEPLOYS_QUEUE, concurrency: 4, process: handle }, { queue: deployQueueOf(this.provisioner.hostId), concurrency: 4, process: handle });
  }

  /** Deploy ids derive from the job and the instance, so a rerun finds its deploys already asked for. */
  private async rollout(job: Job): Promise<string> {
    const workspaceId = String(job.data.workspace_id);
    const imageVersion = String(job.data.image_version);
    const targets = await this.directory.deployable(String(job.data.cluster_id));
    let lost = 0;
    for (const instanceId of targets) {
      const deployId = deterministicUuid('rollout', `${job.id}.${instanceId}`);
      try {
        await this.pipeline.decide(instances, instanceId, { type: 'Deploy', deployId, imageVersion, kind: 'rollout' }, { workspaceId });
      } catch (error) {
        // Its host is gone (the read model had not caught up): the others still get the version.
        if (!(error instanceof HostLostError)) throw error;
        lost++;
      }
    }
    return `rolled out to ${targets.length - lost} instance(s)${lost ? `; ${lost} on lost hosts left as they are` : ''}`;
  }

  private async run(job: Job): Promise<string> {
    const instanceId = String(job.data.instance_id);
    const workspaceId = String(job.data.workspace_id);
    const run = (change: Untimed<InstanceCommand>) => this.pipeline.decide(instances, instanceId, change, { workspaceId });
    const me = this.provisioner.hostId;
    const state = await this.pipeline.loadEntity(instances, instanceId);
    // A job that reached the wrong host (enqueued before its host was recorded, or a stalled first
    // provisioning picked up here) waits for the right one: acting here would miss or copy the process.
    if (state.host && state.host !== me) return this.handOver(job, state.host);
    switch (job.name) {
      case 'provision':
      case 'restart': {
        if (state.status !== 'pending' && state.status !== 'provisioning') return `skipped: the instance is ${state.status}`;
        // A restart stops the old copy first (same spec would keep it); a rerun, already provisioning, keeps what the first run started.
        if (job.name === 'restart' && state.status === 'pending') await this.provisioner.ensureStopped(instanceId);
        return this.provision(job, run);
      }
      case 'stop':
        await this.provisioner.ensureStopped(instanceId);
        await run({ type: 'ReportStopped' });
        return 'stopped';
      case 'delete': {
        await this.provisioner.ensureStopped(instanceId);
        const { state } = await run({ type: 'ReportArchived' });
        // Idempotent: a second run finds both already released.
        await this.slots.releaseSlot(workspaceId, instanceId);
        if (state.config?.routing_key) await this.slots.releaseRoutingKey(state.config.routing_key, instanceId);
        return 'archived';
      }
      default:
        throw new Error(`unknown deploy job ${job.name}`);
    }
  }

  /**
   * Brings the instance up with the version its log names. A deploy cancelled meanwhile makes the
   * report moot and puts the instance back to pending with its previous version: the same job then
   * brings that one up, so a cancel never leaves the cancelled version running (a rerun after a
   * crash finds it pending and does the same).
   */
  private async provision(job: Job, run: (change: Untimed<InstanceCommand>) => Promise<CommandOutcome<InstanceEvent, InstanceState>>): Promise<string> {
    const instanceId = String(job.data.instance_id);
    const workspaceId = String(job.data.workspace_id);
    const me = this.provisioner.hostId;
    for (let pass = 1; ; pass++) {
      let provisioning: InstanceState;
      try {
        ({ state: provisioning } = await run({ type: 'BeginProvisioning', host: me }));
      } catch (error) {
        // A queued deploy cancelled since the job looked: the instance has its status back.
        if (error instanceof InvalidStateError) return `skipped: ${error.message}`;
        throw error;
      }
      if (provisioning.host && provisioning.host !== me) return this.handOver(job, provisioning.host);
      const config = provisioning.config!;
      let outcome: string;
      let report: CommandOutcome<InstanceEvent, InstanceState>;
      try {
        // Secret values are opened here, in memory, for the process only.
        const env = await processEnv(this.secrets, workspaceId, instanceId, provisioning.env, provisioning.sealedEnv);
        const { endpoint } = await this.provisioner.ensureRunning({ instanceId, workspaceId, imageVersion: config.image_version, machineType: config.machine_type, location: config.location, env });
        report = await run({ type: 'ReportProvisioned', endpoint, host: me });
        outcome = `running at ${endpoint}`;
      } catch (error) {
        report = await run({ type: 'ReportFailed', error: error instanceof Error ? error.message : String(error) });
        outcome = 'failed';
      }
      if (report.events.length || report.state.status !== 'pending' || pass >= MAX_PROVISION_PASSES) return outcome;
    }
  }

  /** Puts the job on its host's queue under the same id (so a second hand-over adds nothing). */
  private async handOver(job: Job, host: string): Promise<string> {
    await this.queues.queue(deployQueueOf(host)).add(job.name, job.data, { jobId: String(job.id), attempts: 3 });
    return `handed over to host ${host}`;
  }
}
