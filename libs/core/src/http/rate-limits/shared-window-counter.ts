import IORedis from 'ioredis';

interface Window {
  /** Hits counted here and not yet added to Redis. */
  unsynced: number;
  /** Hits being added to Redis by the sync in flight. */
  syncing: number;
  /** The install's count (every process) as Redis last answered it, our synced hits included. */
  shared: number;
  /** When the window ends (ms since the epoch): the first hit starts it, Redis's TTL moves it. */
  endsAt: number;
}

/** A hit past the limit: how long until the window ends. */
export interface Refusal {
  retryAfterSeconds: number;
}

/**
 * Fixed windows per key, each starting at its first hit, counted in this process and shared
 * through Redis: a hit is decided here, synchronously, against the install's count as Redis last
 * answered it plus this process's hits since; every `syncMs` the process adds its new hits to
 * Redis in one round trip (INCRBY, PEXPIRE NX, PTTL per key) and takes back the totals. One
 * process never passes the limit; several may pass it together by what the others counted in the
 * last `syncMs`. While Redis is away the counts stay local (fail open across processes only).
 */
export class SharedWindowCounter {
  private readonly windows = new Map<string, Window>();
  private timer?: NodeJS.Timeout;
  private syncing = false;

  constructor(
    private readonly redis: IORedis,
    private readonly keyPrefix: string,
    private readonly windowMs: number,
    private readonly syncMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.sync(), this.syncMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Counts a hit on `key`, or refuses it (not counted) when the window already holds `limit`. */
  hit(key: string, limit: number): Refusal | undefined {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      // A sync in flight for the ended window settles that window, no longer this one.
      window = { unsynced: 0, syncing: 0, shared: 0, endsAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    if (window.shared + window.syncing + window.unsynced >= limit) return { retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - now) / 1000)) };
    window.unsynced++;
    return undefined;
  }

  /** Adds this process's new hits to Redis and takes back the shared totals; drops ended windows. */
  async sync(): Promise<void> {
    if (this.syncing) return;
    const now = this.now();
    const batch: Array<[string, Window, number]> = [];
    for (const [key, window] of this.windows) {
      if (window.unsynced > 0) batch.push([key, window, window.unsynced]);
      else if (window.endsAt <= now && window.syncing === 0) this.windows.delete(key);
    }
    if (batch.length === 0) return;
    this.syncing = true;
    const multi = this.redis.multi();
    for (const [key, window, hits] of batch) {
      window.unsynced -= hits;
      window.syncing += hits;
      const redisKey = `${this.keyPrefix}${key}`;
      multi.incrby(redisKey, hits).pexpire(redisKey, this.windowMs, 'NX').pttl(redisKey);
    }
    try {
      const replies = (await multi.exec()) ?? [];
      const answeredAt = this.now();
      batch.forEach(([key, window, hits], i) => {
        window.syncing -= hits;
        const [[incrError, total], , [ttlError, ttl]] = replies.slice(i * 3, i * 3 + 3) as Array<[Error | null, number]>;
        if (incrError || ttlError || this.windows.get(key) !== window) return;
        window.shared = total;
        if (ttl > 0) window.endsAt = answeredAt + ttl;
      });
    } catch {
      // Redis is away: the hits stay counted here, and go to Redis with the next sync that works.
      for (const [, window, hits] of batch) {
        window.syncing -= hits;
        window.unsynced += hits;
      }
    } finally {
      this.syncing = false;
    }
  }
}
