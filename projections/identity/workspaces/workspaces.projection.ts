import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, Projection } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { announceAccessChange } from '@streamplane/identity/auth/access-changes';

const HANDLED = [
  'WorkspaceCreated',
  'WorkspaceUpdated',
  'WorkspaceDeleted',
  'MemberAdded',
  'MemberRoleChanged',
  'MemberRemoved',
  'MemberInvited',
  'InvitationAccepted',
  'InvitationCancelled',
  'OwnershipTransferred',
  'InstanceLimitRequested',
  'InstanceLimitRequestDecided',
  'InstanceLimitChanged',
];

/** Workspaces, their members, pending invitations and limit requests. `version` guards replays. */
@Injectable()
export class WorkspacesProjection implements Projection {
  readonly name = 'workspaces';
  readonly kind = 'projection' as const;
  readonly context = 'identity';
  readonly eventTypes = HANDLED;
  readonly migrations = { name: 'projection_workspaces', dir: join(__dirname, 'migrations') };

  constructor(registry: ConsumerRegistry) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    // Members, roles, accounts: cached access must not outlive what these events change.
    await announceAccessChange(client);
    for (const event of events) {
      const ws = event.streamId.slice('workspace-'.length);
      const version = Number(event.revision) + 1;
      const d = event.data as Record<string, string | number | boolean>;
      if (event.type === 'WorkspaceCreated') {
        await client.query(
          `INSERT INTO workspaces (id, name, description, owner_id, instance_limit, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [ws, d.name, d.description, d.owner_id, d.instance_limit, d.at, version],
        );
        continue;
      }
      // Everything else applies once: only when the workspace row has not seen this revision yet.
      const { rowCount } = await client.query('UPDATE workspaces SET version = $2 WHERE id = $1 AND version < $2', [ws, version]);
      if (!rowCount) continue;
      await this.apply(client, ws, event.type, d);
    }
  }

  private async apply(client: PoolClient, ws: string, type: string, d: Record<string, string | number | boolean>): Promise<void> {
    switch (type) {
      case 'WorkspaceUpdated':
        await client.query('UPDATE workspaces SET name = coalesce($2, name), description = coalesce($3, description) WHERE id = $1', [ws, d.name ?? null, d.description ?? null]);
        break;
      case 'WorkspaceDeleted':
        await client.query('UPDATE workspaces SET deleted_at = $2 WHERE id = $1', [ws, d.at]);
        await client.query('DELETE FROM workspace_members WHERE workspace_id = $1', [ws]);
        await client.query('DELETE FROM workspace_invitations WHERE workspace_id = $1', [ws]);
        break;
      case 'MemberAdded':
        await client.query('INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [ws, d.user_id, d.role, d.at]);
        break;
      case 'MemberRoleChanged':
        await client.query('UPDATE workspace_members SET role = $3 WHERE workspace_id = $1 AND user_id = $2', [ws, d.user_id, d.role]);
        break;
      case 'MemberRemoved':
        await client.query('DELETE FROM workspace_members WHERE workspace_id = $1 AND user_id = $2', [ws, d.user_id]);
        break;
      case 'MemberInvited':
        await client.query(
          'INSERT INTO workspace_invitations (id, workspace_id, email_hash, sealed_email, role, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
          [d.invitation_id, ws, d.email_hash, d.email, d.role, d.at],
        );
        break;
      case 'InvitationAccepted':
      case 'InvitationCancelled':
        await client.query('DELETE FROM workspace_invitations WHERE id = $1', [d.invitation_id]);
        break;
      case 'OwnershipTransferred':
        await client.query('UPDATE workspaces SET owner_id = $2 WHERE id = $1', [ws, d.to_user_id]);
        await client.query(`UPDATE workspace_members SET role = 'admin' WHERE workspace_id = $1 AND user_id = $2`, [ws, d.from_user_id]);
        await client.query(`UPDATE workspace_members SET role = 'owner' WHERE workspace_id = $1 AND user_id = $2`, [ws, d.to_user_id]);
        break;
      case 'InstanceLimitRequested':
        await client.query(
          `INSERT INTO limit_requests (id, workspace_id, desired_limit, reason, status, created_at) VALUES ($1, $2, $3, $4, 'pending', $5) ON CONFLICT DO NOTHING`,
          [d.request_id, ws, d.desired_limit, d.reason, d.at],
        );
        break;
      case 'InstanceLimitRequestDecided':
        await client.query('UPDATE limit_requests SET status = $2, decided_at = $3 WHERE id = $1', [d.request_id, d.approved ? 'approved' : 'rejected', d.at]);
        break;
      case 'InstanceLimitChanged':
        await client.query('UPDATE workspaces SET instance_limit = $2 WHERE id = $1', [ws, d.instance_limit]);
        break;
    }
  }
}
