import { RecordedEvent } from '@streamplane/eventstore';
import { eventLeaf } from './digest-hashing';

/** What a digest recorded about one event when it sealed it. */
export interface SealedEntry {
  position: bigint;
  eventId: string;
  workspaceId: string | null;
  leaf: Buffer;
}

export type MismatchReason = 'altered' | 'removed' | 'inserted' | 'digest_signature' | 'digest_chain' | 'digest_hash';

export interface Mismatch {
  position: string;
  event_id: string | null;
  reason: MismatchReason;
}

export interface RangeComparison {
  /** The workspace's events found exactly as sealed. */
  verified: number;
  mismatch?: Mismatch;
}

const byPlace = (a: { position: bigint; id: string }, b: { position: bigint; id: string }) => (a.position === b.position ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.position < b.position ? -1 : 1);

/**
 * Compares what a digest sealed with what the store holds now over the same range, both in log
 * order, and names the first difference that concerns the workspace: an event whose bytes changed
 * (altered), one sealed but gone (removed), or one in the range that was never sealed (inserted).
 * An event concerns the workspace when either side says it is the workspace's, so moving an event
 * to another workspace is caught too.
 */
export function compareRange(sealed: SealedEntry[], stored: RecordedEvent[], workspaceId: string): RangeComparison {
  const entries = sealed.map((entry) => ({ ...entry, id: entry.eventId })).sort(byPlace);
  const events = stored.map((event) => ({ event, position: event.position, id: event.eventId })).sort(byPlace);
  const ours = (event: RecordedEvent) => event.metadata.workspace_id === workspaceId;
  let verified = 0;
  let i = 0;
  let j = 0;
  while (i < entries.length || j < events.length) {
    const entry = entries[i];
    const found = events[j];
    const order = entry && found ? byPlace(entry, found) : entry ? -1 : 1;
    if (order < 0) {
      i++;
      if (entry.workspaceId === workspaceId) return { verified, mismatch: { position: entry.position.toString(), event_id: entry.eventId, reason: 'removed' } };
      continue;
    }
    j++;
    if (order > 0) {
      if (ours(found.event)) return { verified, mismatch: { position: found.position.toString(), event_id: found.id, reason: 'inserted' } };
      continue;
    }
    i++;
    if (entry.workspaceId !== workspaceId && !ours(found.event)) continue;
    if (!eventLeaf(found.event).equals(entry.leaf)) return { verified, mismatch: { position: entry.position.toString(), event_id: entry.eventId, reason: 'altered' } };
    verified++;
  }
  return { verified };
}
