import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { CommandPipeline, PG_POOL } from '@streamplane/core';
import { userDecider, UserState } from '../domain/user.decider';
import { UserEvent, userStreams } from '../domain/user.events';
import { KeyStore } from '../stores/key-store';

interface AccountWithEmail {
  user: UserState;
  sealed?: string;
}

/**
 * An account's email from the log, not the read model: the jobs that need it (mails, invitations)
 * may run before the users projection has the account.
 */
@Injectable()
export class AccountEmails {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly keys: KeyStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /** The email of a live account (of a verified one only, when asked); null otherwise, or once its key is shredded. */
  async emailOf(userId: string, options: { verifiedOnly?: boolean } = {}): Promise<string | null> {
    const { state } = await this.pipeline.load<UserEvent, AccountWithEmail>(userStreams.stream(userId), {
      initialState: () => ({ user: userDecider.initialState() }),
      evolve: (s, event) => ({ user: userDecider.evolve(s.user, event), sealed: event.type === 'UserRegistered' ? event.data.email : s.sealed }),
    });
    const live = options.verifiedOnly ? state.user.status === 'verified' : state.user.status === 'unverified' || state.user.status === 'verified';
    if (!live || !state.sealed) return null;
    return this.keys.open(this.pool, userId, state.sealed);
  }
}
