import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { isoTime, PG_POOL } from '@streamplane/core';
import { DigestFacts } from './digest-hashing';
import { SealedEntry } from './range-comparison';

/** A signed digest as served (API.md, Audit). */
export interface Digest extends DigestFacts {
  id: string;
  seq: string;
  key_id: string;
  signature: string;
}

/** A digest with what verifying its place in the chain needs: the digest before it. */
export interface ChainedDigest extends Digest {
  /** The previous digest's hash and last position; null for the first digest or a missing one. */
  prior: { hash: string; to_position: string } | null;
}

export interface NewDigest extends Digest {
  first_recorded_at: string;
  last_recorded_at: string;
}

const DIGEST_COLUMNS = `d.id, d.seq::text, d.from_position::text, d.to_position::text, d.events, d.hash, d.previous_hash, d.key_id, d.signature,
  ${isoTime('d.at')} AS at`;

/** The chain of signed digests and the entries each sealed (the audit migrations' tables). */
@Injectable()
export class DigestLedger {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Serialises sealers across processes for the rest of the client's transaction. */
  async lockForSealing(client: PoolClient): Promise<void> {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('audit_digests'))`);
  }

  async last(client: PoolClient): Promise<{ seq: bigint; to_position: bigint; hash: string } | undefined> {
    const { rows } = await client.query<{ seq: string; to_position: string; hash: string }>('SELECT seq, to_position, hash FROM audit_digests ORDER BY seq DESC LIMIT 1');
    return rows[0] && { seq: BigInt(rows[0].seq), to_position: BigInt(rows[0].to_position), hash: rows[0].hash };
  }

  async insert(client: PoolClient, digest: NewDigest, entries: SealedEntry[]): Promise<void> {
    await client.query(
      `INSERT INTO audit_digests (seq, id, from_position, to_position, events, first_recorded_at, last_recorded_at, hash, previous_hash, key_id, signature, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [digest.seq, digest.id, digest.from_position, digest.to_position, digest.events, digest.first_recorded_at, digest.last_recorded_at, digest.hash, digest.previous_hash, digest.key_id, digest.signature, digest.at],
    );
    await client.query(
      `INSERT INTO audit_digest_entries (digest_seq, ordinal, position, event_id, workspace_id, leaf)
       SELECT $1, n, p, e, w, decode(l, 'hex') FROM unnest($2::int[], $3::bigint[], $4::uuid[], $5::text[], $6::text[]) AS u(n, p, e, w, l)`,
      [digest.seq, entries.map((_, n) => n), entries.map((e) => e.position.toString()), entries.map((e) => e.eventId), entries.map((e) => e.workspaceId), entries.map((e) => e.leaf.toString('hex'))],
    );
  }

  /** The chain in order, `limit` digests after the `after`-th. */
  async page(after: bigint, limit: number): Promise<Digest[]> {
    const { rows } = await this.pool.query<Digest>(`SELECT ${DIGEST_COLUMNS} FROM audit_digests d WHERE d.seq > $1 ORDER BY d.seq LIMIT $2`, [after.toString(), limit]);
    return rows;
  }

  /** Digests whose events were recorded within [since, until), in chain order, each with the one before it. */
  async covering(since: Date | undefined, until: Date | undefined): Promise<ChainedDigest[]> {
    const { rows } = await this.pool.query<Digest & { prior_hash: string | null; prior_to: string | null }>(
      `SELECT ${DIGEST_COLUMNS}, p.hash AS prior_hash, p.to_position::text AS prior_to
         FROM audit_digests d LEFT JOIN audit_digests p ON p.seq = d.seq - 1
        WHERE ($1::timestamptz IS NULL OR d.last_recorded_at >= $1) AND ($2::timestamptz IS NULL OR d.first_recorded_at < $2)
        ORDER BY d.seq`,
      [since ?? null, until ?? null],
    );
    return rows.map(({ prior_hash, prior_to, ...digest }) => ({
      ...digest,
      prior: prior_hash === null || prior_to === null ? null : { hash: prior_hash, to_position: prior_to },
    }));
  }

  async entries(seq: string): Promise<SealedEntry[]> {
    const { rows } = await this.pool.query<{ position: string; event_id: string; workspace_id: string | null; leaf: Buffer }>(
      'SELECT position, event_id, workspace_id, leaf FROM audit_digest_entries WHERE digest_seq = $1 ORDER BY ordinal',
      [seq],
    );
    return rows.map((row) => ({ position: BigInt(row.position), eventId: row.event_id, workspaceId: row.workspace_id, leaf: row.leaf }));
  }
}
