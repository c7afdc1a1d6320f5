import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, CLOCK, CommandPipeline, Reservations, reservationStream } from '@streamplane/core';
import { instances } from '../domain/instance.decider';
import { instanceSlots, SlotState, staleHolders } from '../domain/instance-slots.decider';
import { instanceStreams } from '../domain/instance.events';

/** Routing keys are unique across all workspaces: one reservation stream per key. */
const routingKeyReservation = (key: string) => reservationStream('routing_key', key);

/**
 * The streams that guard an instance's limits beside its own: the workspace's slots (its instance
 * limit) and the routing keys (unique across workspaces). Each step decides through the pipeline.
 */
@Injectable()
export class InstanceSlots {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly reservations: Reservations,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 403 at the limit. At the limit, slots whose request died before writing its instance (older
   * than the grace period, instance stream still empty) are closed and given back first.
   */
  async takeSlot(workspaceId: string, instanceId: string, limit: number, routingKey: string | null = null): Promise<void> {
    const graceMs = this.config.instanceSlotGraceSeconds * 1000;
    const state = await this.pipeline.loadEntity(instanceSlots, workspaceId);
    const abandoned = state.holders.size >= limit && !state.holders.has(instanceId) ? await this.abandonUnwritten(workspaceId, state, graceMs) : [];
    await this.pipeline.decide(instanceSlots, workspaceId, { type: 'Take', instanceId, limit, routingKey, abandoned, graceMs }, { workspaceId });
  }

  /**
   * Closes the instance stream of each stale holder that never wrote it (a no_stream append, so it
   * races the late request itself: exactly one of them wins), and gives back its routing key.
   * Returns the holders now closed. Every step is idempotent, so a crash here is redone next time.
   */
  private async abandonUnwritten(workspaceId: string, state: SlotState, graceMs: number): Promise<string[]> {
    const closed: string[] = [];
    for (const holderId of staleHolders(state, this.clock.now(), graceMs)) {
      const { state: instance } = await this.pipeline.decide(instances, holderId, { type: 'Abandon' }, { workspaceId });
      if (!instance.abandoned) continue;
      closed.push(holderId);
      const key = state.holders.get(holderId)!.routingKey;
      if (key) await this.releaseRoutingKey(key, holderId);
    }
    return closed;
  }

  async releaseSlot(workspaceId: string, instanceId: string): Promise<void> {
    await this.pipeline.decide(instanceSlots, workspaceId, { type: 'Release', instanceId }, { workspaceId });
  }

  /** 409 when another instance holds the key. */
  async reserveRoutingKey(key: string, instanceId: string): Promise<void> {
    await this.reservations.reserve(routingKeyReservation(key), instanceId, `the routing key ${key}`, instanceStreams.stream);
  }

  async releaseRoutingKey(key: string, instanceId: string): Promise<void> {
    await this.reservations.release(routingKeyReservation(key), instanceId);
  }
}
