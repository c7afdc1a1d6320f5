import { createHash } from 'node:crypto';
import { JsonValue, RecordedEvent } from '@streamplane/eventstore';

/** The previous hash of the first digest: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with every object's keys sorted, at every depth: PostgreSQL's jsonb (and EventStoreDB)
 * hand keys back in their own order, so only a canonical form hashes the same after a round trip,
 * and an auditor can recompute it in any language.
 */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * An event's own hash: SHA-256 of the canonical JSON of everything stored about it (its place in
 * the log and in its stream, its id, type, data, metadata and recorded time), as stored, before
 * any upcasting, so a later upcaster never reads as tampering.
 */
export function eventLeaf(event: RecordedEvent): Buffer {
  const stored: JsonValue = {
    position: event.position.toString(),
    stream_id: event.streamId,
    revision: event.revision.toString(),
    event_id: event.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recorded_at: event.recordedAt.toISOString(),
  };
  return createHash('sha256').update(canonicalJson(stored)).digest();
}

/** A range's hash: SHA-256 of the previous digest's hash (32 bytes) followed by each event's leaf, in log order. */
export function rangeHash(previousHash: string, leaves: Buffer[]): string {
  const hash = createHash('sha256').update(Buffer.from(previousHash, 'hex'));
  for (const leaf of leaves) hash.update(leaf);
  return hash.digest('hex');
}

/** What a digest's signature covers. */
export interface DigestFacts {
  from_position: string;
  to_position: string;
  events: number;
  hash: string;
  previous_hash: string;
  at: string;
}

/** The exact bytes signed: one line per fact, in this order, after a versioned header. */
export function digestStatement(digest: DigestFacts): Buffer {
  const lines = ['streamplane-audit-digest:v1', digest.from_position, digest.to_position, String(digest.events), digest.hash, digest.previous_hash, digest.at];
  return Buffer.from(lines.join('\n'), 'utf8');
}
