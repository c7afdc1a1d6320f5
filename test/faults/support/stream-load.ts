import { Answer, call, Outcome, sleep } from './http';
import { HttpTenant } from './http-tenant';

/**
 * What one request got, judged by the fault contract: a command or read either succeeds, or
 * answers 503 problem+json with Retry-After while a dependency is down, or (a retried key whose
 * first attempt is still running) 409 with Retry-After. `dropped` means no answer at all
 * (connection refused/reset, or no answer in time); `stale` a 404 marked X-Consistency: stale (an
 * X-Min-Position wait that ran out while the projector was down: the contract's honest answer);
 * `bad` is anything else (a 500, a 503 without Retry-After, …).
 */
export type Verdict = 'ok' | 'unavailable' | 'in_progress' | 'stale' | 'not_found' | 'dropped' | 'bad';

export interface Attempt {
  /** ms since the load started, when the request was sent. */
  at: number;
  ms: number;
  phase: string;
  verdict: Verdict;
  status?: number;
  code?: string;
  streamId?: string;
  position?: string;
  stale: boolean;
  /** Idempotent-Replayed: true (the stored first answer). */
  replayed: boolean;
  detail: string;
}

export interface KeyRecord {
  key: string;
  body: CreateBody;
  attempts: Attempt[];
}

interface CreateBody {
  name: string;
  data: { reference: string; type: string };
  event_handler: Record<string, never>;
}

export interface LoadOptions {
  lanes: number;
  /** Pause between one lane's requests: a steady load, not a benchmark, on a 2-core machine. */
  pauseMs: number;
  timeoutMs: number;
}

/**
 * Lanes of clients, each creating a stream with a fresh Idempotency-Key and then reading it back
 * (with X-Min-Position: read-your-writes), until stopped. Every attempt is kept, per key, with the
 * phase the test was in when it was sent.
 */
export class StreamLoad {
  readonly keys = new Map<string, KeyRecord>();
  readonly reads: Attempt[] = [];
  phase = 'before';
  private readonly startedAt = Date.now();
  private running = false;
  private lanes: Array<Promise<void>> = [];
  private seq = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly tenant: HttpTenant,
    private readonly label: string,
    private readonly options: LoadOptions = { lanes: 3, pauseMs: 30, timeoutMs: 15_000 },
  ) {}

  start(): void {
    this.running = true;
    this.lanes = Array.from({ length: this.options.lanes }, (_, lane) => this.lane(lane));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.lanes);
  }

  /** One create with the key's own body; also used to retry a key. */
  async create(record: KeyRecord): Promise<Attempt> {
    const sent = Date.now();
    const phase = this.phase;
    const outcome = await call(this.baseUrl, 'POST', `${this.tenant.base}/streams`, {
      headers: { ...this.tenant.owner, 'Idempotency-Key': record.key },
      body: record.body,
      timeoutMs: this.options.timeoutMs,
    });
    const attempt = judge(outcome, 201, sent - this.startedAt, Date.now() - sent, phase);
    record.attempts.push(attempt);
    return attempt;
  }

  /** GET one stream; with `minPosition`, only once the read models hold that position. */
  async read(streamId: string, minPosition?: string): Promise<Attempt> {
    const sent = Date.now();
    const phase = this.phase;
    const outcome = await call(this.baseUrl, 'GET', `${this.tenant.base}/streams/${streamId}`, {
      headers: { ...this.tenant.owner, ...(minPosition ? { 'X-Min-Position': minPosition } : {}) },
      timeoutMs: this.options.timeoutMs,
    });
    const attempt = judge(outcome, 200, sent - this.startedAt, Date.now() - sent, phase);
    this.reads.push(attempt);
    return attempt;
  }

  newKey(): KeyRecord {
    const key = `${this.label}-${++this.seq}`;
    const record: KeyRecord = {
      key,
      body: { name: key, data: { reference: `file:///var/media/${key}.mp4`, type: 'videofile' }, event_handler: {} },
      attempts: [],
    };
    this.keys.set(key, record);
    return record;
  }

  /** Keys with a 201, and the stream id of their first one. */
  acknowledged(): Map<string, string> {
    const result = new Map<string, string>();
    for (const record of this.keys.values()) {
      const first = record.attempts.find((a) => a.verdict === 'ok');
      if (first?.streamId) result.set(record.key, first.streamId);
    }
    return result;
  }

  /** Every attempt, creates and reads, in the order sent. */
  all(): Attempt[] {
    return [...[...this.keys.values()].flatMap((r) => r.attempts), ...this.reads].sort((a, b) => a.at - b.at);
  }

  /** Counts of verdicts per phase, for the report. */
  summary(): Record<string, Partial<Record<Verdict, number>>> {
    const result: Record<string, Partial<Record<Verdict, number>>> = {};
    for (const attempt of this.all()) {
      const counts = (result[attempt.phase] ??= {});
      counts[attempt.verdict] = (counts[attempt.verdict] ?? 0) + 1;
    }
    return result;
  }

  private async lane(_lane: number): Promise<void> {
    while (this.running) {
      const record = this.newKey();
      const created = await this.create(record);
      if (created.verdict === 'ok' && created.streamId) await this.read(created.streamId, created.position);
      // After a refusal, back off a little as a client honouring Retry-After would, but keep probing;
      // longer while nothing listens, or a restarting api would leave hundreds of refused keys to settle.
      const backoff = created.verdict === 'ok' ? 0 : created.verdict === 'dropped' ? 500 : 150;
      await sleep(Math.max(this.options.pauseMs, backoff));
    }
  }
}

/**
 * Retries a key (same body, same key) while it answers "later" (503 or 409 with Retry-After),
 * honouring Retry-After (capped: the test has a budget), until the deadline. Settling runs once
 * the system is back, so any other answer, a dropped connection included, is final. Returns the
 * last attempt.
 */
export async function settleKey(load: StreamLoad, record: KeyRecord, deadline: number): Promise<Attempt> {
  for (;;) {
    const attempt = await load.create(record);
    if ((attempt.verdict !== 'unavailable' && attempt.verdict !== 'in_progress') || Date.now() > deadline) return attempt;
    const retryAfter = Number(/retry-after=(\d+)/.exec(attempt.detail)?.[1] ?? 1);
    await sleep(Math.min(retryAfter * 1000, 1000));
  }
}

function judge(outcome: Outcome, success: number, at: number, ms: number, phase: string): Attempt {
  if (outcome.kind === 'dropped') return { at, ms, phase, verdict: 'dropped', code: outcome.code, stale: false, replayed: false, detail: `${outcome.code}: ${outcome.message}` };
  const res: Answer = outcome.answer;
  const retryAfter = res.headers['retry-after'];
  const problem = /application\/problem\+json/.test(res.headers['content-type'] ?? '');
  const body = (res.body ?? {}) as { stream_id?: string; code?: string };
  const base = {
    at,
    ms,
    phase,
    status: res.status,
    code: body.code,
    stale: res.headers['x-consistency'] === 'stale',
    replayed: res.headers['idempotent-replayed'] === 'true',
    position: headerValue(res.headers['x-event-position']),
    detail: `${res.status}${retryAfter ? ` retry-after=${retryAfter}` : ''} ${res.text.slice(0, 200)}`,
  };
  if (res.status === success) return { ...base, verdict: 'ok', streamId: body.stream_id };
  if (res.status === 503 && problem && retryAfter) return { ...base, verdict: 'unavailable' };
  if (res.status === 409 && problem && retryAfter) return { ...base, verdict: 'in_progress' };
  if (res.status === 404 && problem) return { ...base, verdict: base.stale ? 'stale' : 'not_found' };
  return { ...base, verdict: 'bad' };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
