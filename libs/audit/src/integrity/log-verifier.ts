import { Inject, Injectable } from '@nestjs/common';
import { STORED_EVENT_STORE } from '@streamplane/core';
import { EventStore, RecordedEvent } from '@streamplane/eventstore';
import { digestStatement, GENESIS_HASH, rangeHash } from './digest-hashing';
import { ChainedDigest, DigestLedger } from './digest-ledger';
import { compareRange, Mismatch, SealedEntry } from './range-comparison';
import { AuditSigningKey } from './signing-key';

export interface Verification {
  verified_events: number;
  digests_checked: number;
  ok: boolean;
  /** The last position the checked digests cover: events after it are not sealed yet. */
  sealed_to_position: string | null;
  first_mismatch?: Mismatch;
}

/**
 * Checks a workspace's events against the digests that sealed them: each digest's signature, its
 * link to the one before, its hash over the entries it recorded, and then the store today against
 * those entries, event by event. Stops at the first difference, in log order.
 */
@Injectable()
export class LogVerifier {
  constructor(
    @Inject(STORED_EVENT_STORE) private readonly store: EventStore,
    private readonly ledger: DigestLedger,
    private readonly key: AuditSigningKey,
  ) {}

  async verify(workspaceId: string, window: { since?: Date; until?: Date }): Promise<Verification> {
    const digests = await this.ledger.covering(window.since, window.until);
    let verified = 0;
    let checked = 0;
    for (const digest of digests) {
      checked++;
      const entries = await this.ledger.entries(digest.seq);
      const broken = await this.digestProblem(digest, entries);
      const comparison = broken ? { verified: 0, mismatch: broken } : compareRange(entries, await this.storedRange(digest), workspaceId);
      verified += comparison.verified;
      if (comparison.mismatch) return { verified_events: verified, digests_checked: checked, ok: false, sealed_to_position: digest.to_position, first_mismatch: comparison.mismatch };
    }
    return { verified_events: verified, digests_checked: checked, ok: true, sealed_to_position: digests.length ? digests[digests.length - 1].to_position : null };
  }

  /** A digest that is not what the sealer signed, or whose entries are not what it hashed. */
  private async digestProblem(digest: ChainedDigest, entries: SealedEntry[]): Promise<Mismatch | undefined> {
    const at = { position: digest.from_position, event_id: null };
    if (!(await this.key.verify(digestStatement(digest), digest.signature))) return { ...at, reason: 'digest_signature' };
    const expectedPrevious = digest.seq === '1' ? GENESIS_HASH : digest.prior?.hash;
    if (digest.previous_hash !== expectedPrevious) return { ...at, reason: 'digest_chain' };
    if (entries.length !== digest.events || rangeHash(digest.previous_hash, entries.map((entry) => entry.leaf)) !== digest.hash) return { ...at, reason: 'digest_hash' };
    return undefined;
  }

  /** Everything the store holds now in the digest's range: after the previous digest's last position, up to its own. */
  private async storedRange(digest: ChainedDigest): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const after = digest.prior ? BigInt(digest.prior.to_position) : undefined;
    for await (const event of this.store.readAll({ after })) {
      if (event.position > BigInt(digest.to_position)) break;
      events.push(event);
    }
    return events;
  }
}
