import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig, Clock, CLOCK, CommandPipeline, newEntityId, NotFoundError, Reservations, reservationStream, ValidationError, workspaceScoped } from '@streamplane/core';
import { WorkspaceDirectory } from '@streamplane/identity';
import { FleetCatalog } from '../catalog/fleet-catalog';
import { InstanceCommand, instanceDecider, InstanceEvent, InstanceState, instanceStream } from '../domain/instance.decider';
import { instanceSlotsDecider, instanceSlotsStream, SlotState, staleHolders } from '../domain/instance-slots.decider';
import { ClusterDirectory } from '../queries/cluster-directory';

/** Routing keys are unique across all workspaces: one reservation stream per key. */
const routingKeyReservation = (key: string) => reservationStream('routing_key', key);

/** Instance commands, and the slot and routing-key streams that guard their limits. */
@Injectable()
export class InstanceCommands {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly reservations: Reservations,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(workspaceId: string, instanceId: string, command: (now: Date) => InstanceCommand): Promise<{ version: number; state: InstanceState; events: InstanceEvent[] }> {
    const outcome = await this.pipeline.run({ stream: instanceStream(instanceId), decider: workspaceScoped(instanceDecider, workspaceId, 'instance'), command: command(this.clock.now()), workspaceId });
    return { version: outcome.version, state: outcome.state, events: outcome.events };
  }

  async load(instanceId: string): Promise<InstanceState> {
    return (await this.pipeline.load(instanceStream(instanceId), instanceDecider)).state;
  }

  /**
   * 403 at the limit. At the limit, slots whose request died before writing its instance (older
   * than the grace period, instance stream still empty) are closed and given back first.
   */
  async takeSlot(workspaceId: string, instanceId: string, limit: number, routingKey: string | null = null): Promise<void> {
    const stream = instanceSlotsStream(workspaceId);
    const graceMs = this.config.instanceSlotGraceSeconds * 1000;
    const { state } = await this.pipeline.load(stream, instanceSlotsDecider);
    const abandoned = state.holders.size >= limit && !state.holders.has(instanceId) ? await this.abandonUnwritten(workspaceId, state, graceMs) : [];
    await this.pipeline.run({ stream, decider: instanceSlotsDecider, command: { type: 'Take', instanceId, limit, routingKey, abandoned, graceMs, now: this.clock.now() }, workspaceId });
  }

  /**
   * Closes the instance stream of each stale holder that never wrote it (a no_stream append, so it
   * races the late request itself: exactly one of them wins), and gives back its routing key.
   * Returns the holders now closed. Every step is idempotent, so a crash here is redone next time.
   */
  private async abandonUnwritten(workspaceId: string, state: SlotState, graceMs: number): Promise<string[]> {
    const closed: string[] = [];
    for (const holderId of staleHolders(state, this.clock.now(), graceMs)) {
      const { state: instance } = await this.pipeline.run({ stream: instanceStream(holderId), decider: instanceDecider, command: { type: 'Abandon', now: this.clock.now() }, workspaceId });
      if (!instance.abandoned) continue;
      closed.push(holderId);
      const key = state.holders.get(holderId)!.routingKey;
      if (key) await this.releaseRoutingKey(key, holderId);
    }
    return closed;
  }

  async releaseSlot(workspaceId: string, instanceId: string): Promise<void> {
    await this.pipeline.run({ stream: instanceSlotsStream(workspaceId), decider: instanceSlotsDecider, command: { type: 'Release', instanceId, now: this.clock.now() }, workspaceId });
  }

  /** 409 when another instance holds the key. */
  async reserveRoutingKey(key: string, instanceId: string): Promise<void> {
    await this.reservations.reserve(routingKeyReservation(key), instanceId, `the routing key ${key}`, instanceStream);
  }

  async releaseRoutingKey(key: string, instanceId: string): Promise<void> {
    await this.reservations.release(routingKeyReservation(key), instanceId);
  }
}

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
    private readonly instances: InstanceCommands,
    private readonly clusters: ClusterDirectory,
    private readonly catalog: FleetCatalog,
    private readonly workspaces: WorkspaceDirectory,
  ) {}

  async execute({ workspaceId, request }: RequestInstance): Promise<{ id: string }> {
    const cluster = await this.clusters.get(workspaceId, request.clusterId);
    if (!cluster) throw new NotFoundError('no such cluster');
    checkPlacement(this.catalog, request.machineType, request.location);
    const limit = (await this.workspaces.instanceLimit(workspaceId)) ?? 0;
    const id = newEntityId();
    // Slot, then key, then instance; a crash in between leaves a slot (and key) whose instance was
    // never written: a retry with the same Idempotency-Key names the same id and completes it, and
    // otherwise the next request at the limit reclaims both after the grace period.
    await this.instances.takeSlot(workspaceId, id, limit, request.routingKey);
    try {
      if (request.routingKey) await this.instances.reserveRoutingKey(request.routingKey, id);
      const config = { cluster_id: cluster.id, name: request.name, machine_type: request.machineType, location: request.location, routing_key: request.routingKey, image_version: cluster.image_version };
      await this.instances.run(workspaceId, id, (now) => ({ type: 'Request', instanceId: id, workspaceId, config, now }));
    } catch (error) {
      await this.instances.releaseSlot(workspaceId, id).catch(() => undefined);
      if (request.routingKey) await this.instances.releaseRoutingKey(request.routingKey, id).catch(() => undefined);
      throw error;
    }
    return { id };
  }
}

/** 400 naming the field when the catalog has no such machine type or location. */
export function checkPlacement(catalog: FleetCatalog, machineType: string | undefined, location: string | undefined): void {
  const errors = [];
  if (machineType !== undefined && !catalog.hasMachineType(machineType)) errors.push({ field: 'machine_type', message: `must be one of ${catalog.machineTypes().map((m) => m.name).join(', ')}` });
  if (location !== undefined && !catalog.hasLocation(location)) errors.push({ field: 'location', message: `must be one of ${catalog.locations().map((l) => l.name).join(', ')}` });
  if (errors.length) throw new ValidationError('the request has invalid fields', errors);
}

export class ChangeInstance extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly instanceId: string,
    readonly change: (now: Date) => InstanceCommand,
  ) {
    super();
  }
}

/** Stop, start, restart, delete: the decider's transition table says what is allowed. */
@CommandHandler(ChangeInstance)
export class ChangeInstanceHandler implements ICommandHandler<ChangeInstance> {
  constructor(private readonly instances: InstanceCommands) {}

  async execute({ workspaceId, instanceId, change }: ChangeInstance) {
    return { version: (await this.instances.run(workspaceId, instanceId, change)).version };
  }
}

export class ReconfigureInstance extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly instanceId: string,
    readonly changes: { machineType?: string; location?: string; routingKey?: string | null },
  ) {
    super();
  }
}

/** A new routing key is reserved before the change and the old one released after it. */
@CommandHandler(ReconfigureInstance)
export class ReconfigureInstanceHandler implements ICommandHandler<ReconfigureInstance> {
  constructor(
    private readonly instances: InstanceCommands,
    private readonly catalog: FleetCatalog,
  ) {}

  async execute({ workspaceId, instanceId, changes }: ReconfigureInstance) {
    checkPlacement(this.catalog, changes.machineType, changes.location);
    const before = await this.instances.load(instanceId);
    if (before.status === 'none' || before.workspaceId !== workspaceId) throw new NotFoundError('no such instance');
    const newKey = changes.routingKey && changes.routingKey !== before.config!.routing_key ? changes.routingKey : undefined;
    if (newKey) await this.instances.reserveRoutingKey(newKey, instanceId);
    try {
      const { version } = await this.instances.run(workspaceId, instanceId, (now) => ({ type: 'Reconfigure', ...changes, now }));
      const oldKey = before.config!.routing_key;
      if (changes.routingKey !== undefined && oldKey && oldKey !== changes.routingKey) await this.instances.releaseRoutingKey(oldKey, instanceId);
      return { version };
    } catch (error) {
      if (newKey) await this.instances.releaseRoutingKey(newKey, instanceId).catch(() => undefined);
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

/** A deploy or a rollback; answers with the deploy as accepted (queued), from the event it appended. */
@CommandHandler(RequestDeploy)
export class RequestDeployHandler implements ICommandHandler<RequestDeploy> {
  constructor(
    private readonly instances: InstanceCommands,
    private readonly catalog: FleetCatalog,
  ) {}

  async execute({ workspaceId, instanceId, request }: RequestDeploy): Promise<AcceptedDeploy> {
    const { deployId, imageVersion, rollbackTo } = request;
    if (imageVersion !== undefined) this.catalog.assertVersion(imageVersion);
    const { events } = await this.instances.run(workspaceId, instanceId, (now) =>
      imageVersion !== undefined ? { type: 'Deploy', deployId, imageVersion, kind: 'deploy', now } : { type: 'Rollback', deployId, toDeployId: rollbackTo, now },
    );
    const requested = events.find((e): e is Extract<InstanceEvent, { type: 'DeployRequested' }> => e.type === 'DeployRequested')!;
    const { image_version, from_version, kind, at } = requested.data;
    return { id: deployId, image_version, from_version, kind, status: 'queued', error: null, created_at: at, updated_at: at };
  }
}
