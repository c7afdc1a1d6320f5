import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, newEntityId, NotFoundError, Untimed } from '@streamplane/core';
import { WorkspaceDirectory } from '@streamplane/identity';
import { FleetCatalog } from '../catalog/fleet-catalog';
import { InstanceCommand, InstanceLabels, instances } from '../domain/instance.decider';
import { clusters } from '../domain/cluster.decider';
import { assertNotBlocked } from '../domain/deploy-block.decider';
import { InstanceEvent } from '../domain/instance.events';
import { DeployBlockDirectory } from '../queries/deploy-block-directory';
import { ClusterDirectory } from '../queries/cluster-directory';
import { InstanceSlots } from './instance-slots';

export interface InstanceRequest {
  clusterId: string;
  machineType: string;
  location: string;
  name: string | null;
  routingKey: string | null;
}

export class RequestInstance extends Command<{ id: string }> {
  constructor(
    readonly workspaceId: string,
    readonly request: InstanceRequest,
  ) {
    super();
  }
}

/**
 * Checks the cluster and the catalog, takes a slot under the workspace's limit (403), reserves
 * the routing key (409), then records the request; a deploy job brings the instance up.
 */
@CommandHandler(RequestInstance)
export class RequestInstanceHandler implements ICommandHandler<RequestInstance> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly slots: InstanceSlots,
    private readonly clusters: ClusterDirectory,
    private readonly catalog: FleetCatalog,
    private readonly workspaces: WorkspaceDirectory,
  ) {}

  async execute({ workspaceId, request }: RequestInstance): Promise<{ id: string }> {
    const cluster = await this.clusters.get(workspaceId, request.clusterId);
    if (!cluster) throw new NotFoundError('no such cluster');
    await this.catalog.assertPlacement(request.machineType, request.location);
    // An instance starts on its cluster's image: a retired one may not get new instances.
    await this.catalog.assertVersion(cluster.image_version, 'cluster_id');
    const limit = (await this.workspaces.instanceLimit(workspaceId)) ?? 0;
    const id = newEntityId();
    // Slot, then key, then instance; a crash in between leaves a slot (and key) whose instance was
    // never written: a retry with the same Idempotency-Key names the same id and completes it, and
    // otherwise the next request at the limit reclaims both after the grace period.
    await this.slots.takeSlot(workspaceId, id, limit, request.routingKey);
    try {
      if (request.routingKey) await this.slots.reserveRoutingKey(request.routingKey, id);
      const config = { cluster_id: cluster.id, name: request.name, machine_type: request.machineType, location: request.location, routing_key: request.routingKey, image_version: cluster.image_version };
      await this.pipeline.decide(instances, id, { type: 'Request', instanceId: id, workspaceId, config }, { workspaceId });
    } catch (error) {
      await this.slots.releaseSlot(workspaceId, id).catch(() => undefined);
      if (request.routingKey) await this.slots.releaseRoutingKey(request.routingKey, id).catch(() => undefined);
      throw error;
    }
    return { id };
  }
}

/**
 * What a client may ask of an instance as is: the decider's transition table says whether the
 * status allows it. (Requests, reconfigurations, deploys and secret env values have their own
 * commands: they take slots, keys or seal values first.)
 */
export type InstanceChange = Untimed<Extract<InstanceCommand, { type: 'Stop' | 'Start' | 'Restart' | 'Delete' | 'ChangeEnv' | 'Label' }>>;

export class ChangeInstance extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly instanceId: string,
    readonly change: InstanceChange,
  ) {
    super();
  }
}

/** Stop, start, restart, delete, unset env, labels: the decider's transition table says what is allowed. */
@CommandHandler(ChangeInstance)
export class ChangeInstanceHandler implements ICommandHandler<ChangeInstance> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ workspaceId, instanceId, change }: ChangeInstance) {
    const { version } = await this.pipeline.decide(instances, instanceId, change, { workspaceId });
    return { version };
  }
}

export class ReconfigureInstance extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly instanceId: string,
    readonly changes: { machineType?: string; location?: string; routingKey?: string | null; labels?: InstanceLabels },
  ) {
    super();
  }
}

/** A new routing key is reserved before the change and the old one released after it. */
@CommandHandler(ReconfigureInstance)
export class ReconfigureInstanceHandler implements ICommandHandler<ReconfigureInstance> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly slots: InstanceSlots,
    private readonly catalog: FleetCatalog,
  ) {}

  async execute({ workspaceId, instanceId, changes }: ReconfigureInstance) {
    await this.catalog.assertPlacement(changes.machineType, changes.location);
    const before = await this.pipeline.loadEntity(instances, instanceId);
    if (before.status === 'none' || before.workspaceId !== workspaceId) throw new NotFoundError('no such instance');
    const newKey = changes.routingKey && changes.routingKey !== before.config!.routing_key ? changes.routingKey : undefined;
    if (newKey) await this.slots.reserveRoutingKey(newKey, instanceId);
    try {
      const { version } = await this.pipeline.decide(instances, instanceId, { type: 'Reconfigure', ...changes }, { workspaceId });
      const oldKey = before.config!.routing_key;
      if (changes.routingKey !== undefined && oldKey && oldKey !== changes.routingKey) await this.slots.releaseRoutingKey(oldKey, instanceId);
      return { version };
    } catch (error) {
      if (newKey) await this.slots.releaseRoutingKey(newKey, instanceId).catch(() => undefined);
      throw error;
    }
  }
}

export interface AcceptedDeploy {
  id: string;
  image_version: string;
  from_version: string;
  kind: string;
  status: 'queued';
  error: null;
  created_at: string;
  updated_at: string;
}

export class RequestDeploy extends Command<AcceptedDeploy> {
  constructor(
    readonly workspaceId: string,
    readonly instanceId: string,
    readonly request: { deployId: string; imageVersion?: string; rollbackTo?: string },
  ) {
    super();
  }
}

/** A deploy or a rollback, unless a freeze holds; answers with the deploy as accepted (queued), from the event it appended. */
@CommandHandler(RequestDeploy)
export class RequestDeployHandler implements ICommandHandler<RequestDeploy> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly catalog: FleetCatalog,
    private readonly blocks: DeployBlockDirectory,
  ) {}

  async execute({ workspaceId, instanceId, request }: RequestDeploy): Promise<AcceptedDeploy> {
    const { deployId, imageVersion, rollbackTo } = request;
    await this.catalog.assertVersion(imageVersion);
    const instance = await this.pipeline.loadEntity(instances, instanceId);
    // Another workspace's instance is left to the pipeline's 404: a freeze here must not tell it apart.
    if (instance.workspaceId === workspaceId) assertNotBlocked(await this.blocks.holding(workspaceId, instance.config!.cluster_id));
    // A rollback may not go back to a version its cluster marked (read from the cluster's own events).
    const noRollback = imageVersion === undefined && instance.workspaceId === workspaceId ? (await this.pipeline.loadEntity(clusters, instance.config!.cluster_id)).noRollback : undefined;
    const change: Untimed<InstanceCommand> =
      imageVersion !== undefined
        ? { type: 'Deploy', deployId, imageVersion, kind: 'deploy' }
        : { type: 'Rollback', deployId, toDeployId: rollbackTo, retiredVersions: await this.catalog.retiredVersions(), noRollback };
    const { events } = await this.pipeline.decide(instances, instanceId, change, { workspaceId });
    const requested = events.find((e): e is Extract<InstanceEvent, { type: 'DeployRequested' }> => e.type === 'DeployRequested')!;
    const { image_version, from_version, kind, at } = requested.data;
    return { id: deployId, image_version, from_version, kind, status: 'queued', error: null, created_at: at, updated_at: at };
  }
}
