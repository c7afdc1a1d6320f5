import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@streamplane/core';
import { DigestSealer } from './digest-sealer';

/**
 * Seals pending events every AUDIT_DIGEST_SECONDS in the projector role. A timer rather than a
 * BullMQ scheduler: the sealer reads the log and writes PostgreSQL only, and its advisory lock
 * already makes one projector at a time do it; nothing of it lives in Redis to be rebuilt.
 */
@Injectable()
export class DigestSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('audit-digests');
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly sealer: DigestSealer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.roles.includes('projector')) return;
    this.timer = setInterval(() => this.tick(), this.config.audit.digestSeconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    // A seal that outlasts the interval is left to finish, not joined by another.
    if (this.busy) return;
    this.busy = true;
    this.running = this.sealer
      .sealPending()
      .then(
        (sealed) => void (sealed.length > 0 && this.logger.log(`sealed ${sealed.length} digest(s) up to position ${sealed[sealed.length - 1].to_position}`)),
        (error: Error) => this.logger.warn(`sealing failed, retried at the next tick: ${error.message}`),
      )
      .finally(() => (this.busy = false));
  }
}
