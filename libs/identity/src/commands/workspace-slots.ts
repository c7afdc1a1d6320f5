import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, CLOCK, CommandPipeline, RESERVATION_GRACE_MS } from '@streamplane/core';
import { staleWorkspaceSlots, WorkspaceSlotState, workspaceSlots } from '../domain/workspace-slots.decider';
import { workspaces } from '../domain/workspace.decider';

/**
 * The workspace cap of each account (MAX_WORKSPACES_PER_USER), held on its `workspace_slots-<user>`
 * stream: a workspace holds a slot of its owner from its creation (or its transfer to them) until
 * it is deleted or handed on. Slot streams are written beside the workspace (auxiliary: an
 * `If-Match` on the workspace is not checked against them), and carry no workspace id: they are
 * the account's.
 */
@Injectable()
export class WorkspaceSlots {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 403 at the cap (platform admins have none). At the cap, slots of workspaces no longer the account's are reclaimed first. */
  async take(userId: string, workspaceId: string, platformAdmin: boolean): Promise<void> {
    const limit = platformAdmin ? null : this.config.workspacesPerUser;
    const state = await this.pipeline.loadEntity(workspaceSlots, userId);
    const atCap = limit !== null && state.holders.size >= limit && !state.holders.has(workspaceId);
    const vacated = atCap ? await this.vacated(userId, state) : [];
    await this.pipeline.decide(workspaceSlots, userId, { type: 'Take', workspaceId, limit, vacated, graceMs: RESERVATION_GRACE_MS }, { auxiliary: true });
  }

  /** Gives the slot back if the account holds it; nothing otherwise (safe to repeat). */
  async release(userId: string, workspaceId: string): Promise<void> {
    await this.pipeline.decide(workspaceSlots, userId, { type: 'Release', workspaceId }, { auxiliary: true });
  }

  /**
   * Stale holders whose workspace, read from the log, is not the account's: never written (its
   * creation died), deleted, or owned by someone else (a delete or transfer that died before
   * giving the slot back, or a transfer to the account that died before it was written).
   */
  private async vacated(userId: string, state: WorkspaceSlotState): Promise<string[]> {
    const vacated: string[] = [];
    for (const workspaceId of staleWorkspaceSlots(state, this.clock.now(), RESERVATION_GRACE_MS)) {
      const workspace = await this.pipeline.loadEntity(workspaces, workspaceId);
      if (workspace.status !== 'active' || workspace.ownerId !== userId) vacated.push(workspaceId);
    }
    return vacated;
  }
}
