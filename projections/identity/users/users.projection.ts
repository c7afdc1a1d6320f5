import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, entityVersion, eventRouter, Projection, RecordedEventOf } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { SEALED_DATA, SealedDataReader, UserEvent, userStreams } from '@streamplane/identity/events';


/** Sets columns of a live account, once: only when its row has not seen this revision yet. */
function update(client: PoolClient, event: RecordedEventOf<UserEvent>, set: string, values: unknown[] = []) {
  return client.query(`UPDATE users SET ${set}, version = $2 WHERE id = $1 AND version < $2`, [userStreams.idOf(event.streamId), entityVersion(event), ...values]);
}

/**
 * `read.users`: live accounts by id and email. The email is opened with the user's key while
 * projecting; a deleted account's key is gone, so a replay can no longer read it either.
 */
@Injectable()
export class UsersProjection implements Projection {
  readonly name = 'users';
  readonly kind = 'projection' as const;
  readonly context = 'identity';
  readonly migrations = { name: 'projection_users', dir: join(__dirname, 'migrations') };

  private readonly router = eventRouter<UserEvent, PoolClient>({
    UserRegistered: async (event, client) => {
      const id = userStreams.idOf(event.streamId);
      const email = await this.sealed.open(client, id, event.data.email);
      await client.query(`INSERT INTO users (id, email, email_lower, created_at, version) VALUES ($1, $2, lower($2), $3, $4) ON CONFLICT (id) DO NOTHING`, [
        id,
        email,
        event.data.at,
        entityVersion(event),
      ]);
    },
    UserVerified: async (event, client) => {
      await update(client, event, 'verified = true');
    },
    PlatformAdminGranted: async (event, client) => {
      await update(client, event, 'is_platform_admin = true');
    },
    UserDeleted: async (event, client) => {
      await update(client, event, 'email = NULL, email_lower = NULL, is_platform_admin = false, deleted_at = $3', [event.data.at]);
    },
    // Mails, passwords and API tokens are not part of this read model.
    VerificationEmailSent: null,
    PasswordResetRequested: null,
    PasswordChanged: null,
    ApiTokenCreated: null,
    ApiTokenRevoked: null,
  });
  readonly eventTypes = this.router.eventTypes;

  constructor(
    registry: ConsumerRegistry,
    @Inject(SEALED_DATA) private readonly sealed: SealedDataReader<PoolClient>,
  ) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    for (const event of events) await this.router.route(event, client);
  }
}
