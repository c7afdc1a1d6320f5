import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { Clock, CLOCK, inTransaction, newEntityId, PG_POOL, STORED_EVENT_STORE } from '@streamplane/core';
import { EventStore, RecordedEvent } from '@streamplane/eventstore';
import { digestStatement, eventLeaf, GENESIS_HASH, rangeHash } from './digest-hashing';
import { Digest, DigestLedger } from './digest-ledger';
import { AuditSigningKey } from './signing-key';

/** Events sealed by one digest at most: a long backlog becomes several digests, each read and hashed in bounded memory. */
export const MAX_EVENTS_PER_DIGEST = 10_000;

/**
 * Seals the events written since the last digest into signed digests, after the fact and from the
 * log as stored: appends never wait for it and share no hash chain. One sealer at a time across
 * processes (an advisory lock), so the chain cannot fork.
 */
@Injectable()
export class DigestSealer {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(STORED_EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly ledger: DigestLedger,
    private readonly key: AuditSigningKey,
  ) {}

  /** Every digest it sealed now, in chain order; none when nothing was written since the last. */
  async sealPending(): Promise<Digest[]> {
    return inTransaction(this.pool, async (client) => {
      await this.ledger.lockForSealing(client);
      const sealed: Digest[] = [];
      for (;;) {
        const digest = await this.sealNext(client);
        if (!digest) return sealed;
        sealed.push(digest);
      }
    });
  }

  private async sealNext(client: PoolClient): Promise<Digest | undefined> {
    const last = await this.ledger.last(client);
    const events = await this.nextRange(last?.to_position);
    if (events.length === 0) return undefined;
    const previousHash = last?.hash ?? GENESIS_HASH;
    const entries = events.map((event) => ({ position: event.position, eventId: event.eventId, workspaceId: workspaceOf(event), leaf: eventLeaf(event) }));
    const facts = {
      from_position: events[0].position.toString(),
      to_position: events[events.length - 1].position.toString(),
      events: events.length,
      hash: rangeHash(previousHash, entries.map((entry) => entry.leaf)),
      previous_hash: previousHash,
      at: this.clock.now().toISOString(),
    };
    const { keyId, signature } = await this.key.sign(digestStatement(facts));
    const digest = { ...facts, id: newEntityId(), seq: ((last?.seq ?? 0n) + 1n).toString(), key_id: keyId, signature };
    await this.ledger.insert(client, { ...digest, first_recorded_at: events[0].recordedAt.toISOString(), last_recorded_at: events[events.length - 1].recordedAt.toISOString() }, entries);
    return digest;
  }

  /** The stored events after `after`, at most a digest's worth, never splitting one position between two digests. */
  private async nextRange(after: bigint | undefined): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readAll({ after, maxCount: MAX_EVENTS_PER_DIGEST + 1 })) events.push(event);
    if (events.length <= MAX_EVENTS_PER_DIGEST) return events;
    // EventStoreDB may give the events of one append one position; a range ends between positions.
    const next = events.pop()!.position;
    const whole = events.filter((event) => event.position !== next);
    return whole.length > 0 ? whole : events;
  }
}

const workspaceOf = (event: RecordedEvent): string | null => (typeof event.metadata.workspace_id === 'string' ? event.metadata.workspace_id : null);
