import { Inject, Injectable, Logger } from '@nestjs/common';
import { PoolClient } from 'pg';
import { APP_CONFIG, AppConfig, CheckpointStore, ConsumerRegistry, EventConsumer, eventRouter } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { IdentityEvent } from '../events';

/** Changes that end or narrow someone's access are announced on this channel; every process's auth cache empties itself on it. */
export const ACCESS_CHANGES_CHANNEL = 'streamplane_auth';

/** How often the announcer looks whether the identity read models hold the batch yet. */
const RECHECK_MS = 5;

const changesAccess = () => true;

/**
 * The events that change what an auth cache holds: a principal (the account is gone, or became a
 * platform admin) or a member's role (joined, changed, left, the owner moved, the workspace is
 * gone). A joining member matters too: "not a member" is cached as well.
 */
const ACCESS_CHANGING = eventRouter<IdentityEvent, void, boolean>({
  UserDeleted: changesAccess,
  PlatformAdminGranted: changesAccess,
  WorkspaceDeleted: changesAccess,
  MemberAdded: changesAccess,
  MemberRoleChanged: changesAccess,
  MemberRemoved: changesAccess,
  OwnershipTransferred: changesAccess,
});

/**
 * Announces access changes to every process, from the log: a consumer of the access-changing
 * events that notifies inside its checkpoint transaction (PostgreSQL delivers the notification when
 * it commits, and a crash before that announces again). No process may hear of a change before the
 * read models show it — it would cache what they still say for MAX_AGE_MS — so it first waits
 * (bounded) until each identity projection that handles these events has committed them.
 */
@Injectable()
export class AccessChangeAnnouncer implements EventConsumer {
  readonly name = 'identity-access-changes';
  readonly kind = 'reactor' as const;
  readonly context = 'identity';
  readonly eventTypes = ACCESS_CHANGING.eventTypes;
  private readonly logger = new Logger('access-changes');
  private readonly timeoutMs: number;

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly checkpoints: CheckpointStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.timeoutMs = config.readYourWritesTimeoutMs;
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    await this.untilReadModelsHold(events);
    await client.query('SELECT pg_notify($1, $2)', [ACCESS_CHANGES_CHANNEL, '']);
  }

  /** A parked read model is not waited for; one still behind at the deadline is announced anyway (the caches' age limit is the net). */
  private async untilReadModelsHold(events: RecordedEvent[]): Promise<void> {
    const waits = this.registry
      .projections([this.context])
      .map((projection) => ({ name: projection.name, position: events.filter((e) => projection.eventTypes.includes(e.type)).pop()?.position }))
      .filter((wait): wait is { name: string; position: bigint } => wait.position !== undefined);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const behind: string[] = [];
      for (const wait of waits) {
        const checkpoint = await this.checkpoints.get(wait.name);
        if (!checkpoint || (checkpoint.state !== 'parked' && checkpoint.position < wait.position)) behind.push(wait.name);
      }
      if (behind.length === 0) return;
      if (Date.now() >= deadline) {
        this.logger.warn(`announcing access changes before ${behind.join(', ')} held them (waited ${this.timeoutMs} ms)`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
    }
  }
}
