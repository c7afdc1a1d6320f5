import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, Projection } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { announceAccessChange } from '@streamplane/identity/auth/access-changes';
import { KeyStore } from '@streamplane/identity/stores/key-store';

const HANDLED = ['UserRegistered', 'UserVerified', 'PlatformAdminGranted', 'UserDeleted'];

/**
 * `read.users`: live accounts by id and email. The email is opened with the user's key while
 * projecting; a deleted account's key is gone, so a replay can no longer read it either.
 */
@Injectable()
export class UsersProjection implements Projection {
  readonly name = 'users';
  readonly kind = 'projection' as const;
  readonly context = 'identity';
  readonly eventTypes = HANDLED;
  readonly migrations = { name: 'projection_users', dir: join(__dirname, 'migrations') };

  constructor(
    registry: ConsumerRegistry,
    private readonly keys: KeyStore,
  ) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    // Members, roles, accounts: cached access must not outlive what these events change.
    await announceAccessChange(client);
    for (const event of events) {
      const id = event.streamId.slice('user-'.length);
      const version = Number(event.revision) + 1;
      switch (event.type) {
        case 'UserRegistered': {
          const email = await this.keys.open(client, id, String(event.data.email));
          await client.query(
            `INSERT INTO users (id, email, email_lower, created_at, version) VALUES ($1, $2, lower($2), $3, $4) ON CONFLICT (id) DO NOTHING`,
            [id, email, event.data.registered_at, version],
          );
          break;
        }
        case 'UserVerified':
          await client.query('UPDATE users SET verified = true, version = $2 WHERE id = $1 AND version < $2', [id, version]);
          break;
        case 'PlatformAdminGranted':
          await client.query('UPDATE users SET is_platform_admin = true, version = $2 WHERE id = $1 AND version < $2', [id, version]);
          break;
        case 'UserDeleted':
          await client.query(
            `UPDATE users SET email = NULL, email_lower = NULL, is_platform_admin = false, deleted_at = $3, version = $2 WHERE id = $1 AND version < $2`,
            [id, version, event.data.at],
          );
          break;
      }
    }
  }
}
