import { Pool } from 'pg';
import { APPEND_SQL, AppendedRow, AppendRequest, appendParameters, singleAppendParameters, singleAppendSql } from './append-statement';

/** Most events one group commit carries (the index part of a position has 20 bits). */
const MAX_EVENTS_PER_COMMIT = 50_000;

interface Pending {
  request: AppendRequest;
  resolve(rows: AppendedRow[]): void;
  reject(error: unknown): void;
}

/**
 * Coalesces concurrent appends of this process into one INSERT and one commit: while one flush is
 * in flight the next requests gather, and go together. A request whose expectation fails gets no
 * rows back (the caller works out why); a flush that fails as a whole (a race on a stream with
 * another process) is retried one request at a time, so each gets its own answer.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly pool: Pool) {}

  submit(request: AppendRequest): Promise<AppendedRow[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) await this.flush(this.takeBatch());
    } finally {
      this.flushing = false;
    }
  }

  /** Requests for distinct streams, in arrival order; the rest wait for the next flush. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const streams = new Set<string>();
    let events = 0;
    const rest: Pending[] = [];
    for (const pending of this.queue) {
      const fits = events + pending.request.events.length <= MAX_EVENTS_PER_COMMIT || batch.length === 0;
      if (fits && !streams.has(pending.request.stream)) {
        batch.push(pending);
        streams.add(pending.request.stream);
        events += pending.request.events.length;
      } else {
        rest.push(pending);
      }
    }
    this.queue = rest;
    return batch;
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const rows = await this.insert(batch.map((p) => p.request));
      const byStream = new Map<string, AppendedRow[]>();
      for (const row of rows) byStream.set(row.stream_id, [...(byStream.get(row.stream_id) ?? []), row]);
      for (const pending of batch) pending.resolve(byStream.get(pending.request.stream) ?? []);
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const pending of batch) {
        await this.insert([pending.request]).then(pending.resolve, pending.reject);
      }
    }
  }

  private async insert(requests: AppendRequest[]): Promise<AppendedRow[]> {
    // Named statements: each connection parses and plans each once.
    if (requests.length === 1) {
      const [request] = requests;
      const kind = typeof request.expected === 'bigint' ? 'exact' : request.expected;
      const { rows } = await this.pool.query<AppendedRow>({ name: `streamplane_append_${kind}`, text: singleAppendSql(request.expected), values: singleAppendParameters(request) });
      return rows;
    }
    const { rows } = await this.pool.query<AppendedRow>({ name: 'streamplane_append_group', text: APPEND_SQL, values: appendParameters(requests) });
    return rows;
  }
}
