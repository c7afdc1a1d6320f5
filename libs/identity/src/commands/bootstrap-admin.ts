import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig, CommandPipeline, ConflictError, deterministicUuid, NotFoundError } from '@streamplane/core';
import { normalizeEmail } from '../domain/email';
import { users } from '../domain/user.decider';
import { SignUp, SignUpHandler } from './sign-up';

/**
 * Creates the platform admin named by BOOTSTRAP_ADMIN_EMAIL (verified) if missing. Its id comes
 * from the email, so processes starting together agree on it and the log tells the story once.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('identity');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // The handler itself, not the bus: the bus registers its handlers in a bootstrap hook of its own.
    private readonly signUp: SignUpHandler,
    private readonly pipeline: CommandPipeline,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const userId = deterministicUuid('bootstrap-admin', normalizeEmail(admin.email));
    try {
      await this.signUp.execute(new SignUp(admin.email, admin.password, { userId, verified: true }));
      this.logger.log(`platform admin ${admin.email} created`);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error; // already there: from an earlier start or a sibling process
    }
    try {
      await this.pipeline.decide(users, userId, { type: 'GrantPlatformAdmin' });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      // The email is reserved, but not by the bootstrap account: someone signed up with it first.
      throw new Error(
        `BOOTSTRAP_ADMIN_EMAIL ${admin.email} already belongs to an ordinary account (or a deleted one); ` +
          'choose another email for the platform admin, or delete that account first',
      );
    }
  }
}
