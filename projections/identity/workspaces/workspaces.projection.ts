import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, entityVersion, EventHandler, eventRouter, Projection, RecordedEventOf } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { WorkspaceEvent, workspaceStreams } from '@streamplane/identity/events';


/**
 * Applies a change to a workspace once: only when the workspace row has not seen this revision
 * yet (the row's `version` guards replays), with the workspace's id at hand.
 */
function once<E extends WorkspaceEvent>(apply: (event: RecordedEventOf<E>, client: PoolClient, ws: string) => Promise<unknown>): EventHandler<E, PoolClient, Promise<void>> {
  return async (event, client) => {
    const ws = workspaceStreams.idOf(event.streamId);
    const { rowCount } = await client.query('UPDATE workspaces SET version = $2 WHERE id = $1 AND version < $2', [ws, entityVersion(event)]);
    if (rowCount) await apply(event, client, ws);
  };
}

/** Workspaces, their members, pending invitations and limit requests. `version` guards replays. */
@Injectable()
export class WorkspacesProjection implements Projection {
  readonly name = 'workspaces';
  readonly kind = 'projection' as const;
  readonly context = 'identity';
  readonly migrations = { name: 'projection_workspaces', dir: join(__dirname, 'migrations') };

  private readonly router = eventRouter<WorkspaceEvent, PoolClient>({
    WorkspaceCreated: async (event, client) => {
      const { data } = event;
      await client.query(
        `INSERT INTO workspaces (id, name, description, owner_id, instance_limit, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [workspaceStreams.idOf(event.streamId), data.name, data.description, data.owner_id, data.instance_limit, data.at, entityVersion(event)],
      );
    },
    // Everything else applies once: only when the workspace row has not seen this revision yet.
    WorkspaceUpdated: once(({ data }, client, ws) =>
      client.query('UPDATE workspaces SET name = coalesce($2, name), description = coalesce($3, description) WHERE id = $1', [ws, data.name ?? null, data.description ?? null]),
    ),
    WorkspaceDeleted: once(async ({ data }, client, ws) => {
      await client.query('UPDATE workspaces SET deleted_at = $2 WHERE id = $1', [ws, data.at]);
      await client.query('DELETE FROM workspace_members WHERE workspace_id = $1', [ws]);
      await client.query('DELETE FROM workspace_invitations WHERE workspace_id = $1', [ws]);
    }),
    MemberAdded: once(({ data }, client, ws) =>
      client.query('INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [ws, data.user_id, data.role, data.at]),
    ),
    MemberRoleChanged: once(({ data }, client, ws) => client.query('UPDATE workspace_members SET role = $3 WHERE workspace_id = $1 AND user_id = $2', [ws, data.user_id, data.role])),
    MemberRemoved: once(({ data }, client, ws) => client.query('DELETE FROM workspace_members WHERE workspace_id = $1 AND user_id = $2', [ws, data.user_id])),
    MemberInvited: once(({ data }, client, ws) =>
      client.query(
        'INSERT INTO workspace_invitations (id, workspace_id, email_hash, sealed_email, role, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
        [data.invitation_id, ws, data.email_hash, data.email, data.role, data.at],
      ),
    ),
    InvitationAccepted: once(({ data }, client) => client.query('DELETE FROM workspace_invitations WHERE id = $1', [data.invitation_id])),
    InvitationCancelled: once(({ data }, client) => client.query('DELETE FROM workspace_invitations WHERE id = $1', [data.invitation_id])),
    OwnershipTransferred: once(async ({ data }, client, ws) => {
      await client.query('UPDATE workspaces SET owner_id = $2 WHERE id = $1', [ws, data.to_user_id]);
      await client.query(`UPDATE workspace_members SET role = 'admin' WHERE workspace_id = $1 AND user_id = $2`, [ws, data.from_user_id]);
      await client.query(`UPDATE workspace_members SET role = 'owner' WHERE workspace_id = $1 AND user_id = $2`, [ws, data.to_user_id]);
    }),
    InstanceLimitRequested: once(({ data }, client, ws) =>
      client.query(`INSERT INTO limit_requests (id, workspace_id, desired_limit, reason, status, created_at) VALUES ($1, $2, $3, $4, 'pending', $5) ON CONFLICT DO NOTHING`, [
        data.request_id,
        ws,
        data.desired_limit,
        data.reason,
        data.at,
      ]),
    ),
    InstanceLimitRequestDecided: once(({ data }, client) =>
      client.query('UPDATE limit_requests SET status = $2, decided_at = $3 WHERE id = $1', [data.request_id, data.approved ? 'approved' : 'rejected', data.at]),
    ),
    InstanceLimitChanged: once(({ data }, client, ws) => client.query('UPDATE workspaces SET instance_limit = $2 WHERE id = $1', [ws, data.instance_limit])),
  });
  readonly eventTypes = this.router.eventTypes;

  constructor(registry: ConsumerRegistry) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    for (const event of events) await this.router.route(event, client);
  }
}
