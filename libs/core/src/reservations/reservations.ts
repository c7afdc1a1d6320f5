import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { Clock, CLOCK } from '../clock';
import { CommandPipeline } from '../commands/command-pipeline';
import { reservationDecider } from './reservation.decider';

/**
 * Takes and gives back unique values (emails, group names, routing keys) on their reservation
 * streams. The owner reserves before it creates itself; if that creation then crashed, the value
 * would be stuck — so a holder whose own stream was still not written after a grace period gives
 * way to the next claimant (RESERVATION_GRACE_MS; a younger holder is a creation in flight).
 */
@Injectable()
export class Reservations {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** 409 naming `what` when another owner holds the value. `ownerStream` names a holder's own stream. */
  async reserve(stream: string, ownerId: string, what: string, ownerStream: (holderId: string) => string, workspaceId?: string): Promise<void> {
    const holder = (await this.pipeline.load(stream, reservationDecider)).state.ownerId;
    const holderExists = holder !== undefined && holder !== ownerId ? await this.exists(ownerStream(holder)) : undefined;
    await this.pipeline.run({ stream, decider: reservationDecider, command: { type: 'Reserve', ownerId, now: this.clock.now(), what, holderExists }, workspaceId, auxiliary: true });
  }

  /** Frees the value if `ownerId` holds it; nothing otherwise (safe to repeat). */
  async release(stream: string, ownerId: string, workspaceId?: string): Promise<void> {
    await this.pipeline.run({ stream, decider: reservationDecider, command: { type: 'Release', ownerId, now: this.clock.now() }, workspaceId, auxiliary: true });
  }

  private async exists(stream: string): Promise<boolean> {
    for await (const _event of this.store.readStream(stream, { maxCount: 1 })) return true;
    return false;
  }
}
