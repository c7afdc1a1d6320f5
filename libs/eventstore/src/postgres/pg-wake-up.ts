import { Client, Pool } from 'pg';

export const EVENTS_CHANNEL = 'streamplane_events';
/** Cross-process wake-ups are at most this late; in-process waiters are woken at once. */
const NOTIFY_WINDOW_MS = 2;

/**
 * Wakes waiters when something they wait for was committed (new events, a projection's new
 * checkpoint): directly for waiters in this process, through LISTEN/NOTIFY for the others.
 * NOTIFY is sent after the commit, outside its transaction, because a NOTIFY inside it takes a
 * cluster-wide lock at commit and would serialise every writer; pokes within a short window are
 * coalesced into one NOTIFY.
 */
export class PgWakeUp {
  private readonly waiters = new Set<Waiter>();
  private listener?: Client;
  private listening?: Promise<void>;
  private notifying = false;
  private notifyAgain = false;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly connectionString: string | undefined,
    private readonly channel: string = EVENTS_CHANNEL,
  ) {}

  /** Called after every commit the waiters care about. */
  poke(): void {
    this.wakeAll();
    if (this.closed) return;
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    // Other processes hear of a burst of commits once per window rather than once per commit.
    setTimeout(() => {
      if (this.closed) return;
      this.pool
        .query('SELECT pg_notify($1, $2)', [this.channel, ''])
        .catch(() => undefined) // a lost NOTIFY only delays other processes until their safety re-check
        .finally(() => {
          this.notifying = false;
          if (this.notifyAgain) {
            this.notifyAgain = false;
            this.poke();
          }
        });
    }, NOTIFY_WINDOW_MS);
  }

  async register(): Promise<Waiter> {
    await this.ensureListening();
    const waiter = new Waiter(() => this.waiters.delete(waiter));
    this.waiters.add(waiter);
    return waiter;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private wakeAll(): void {
    for (const waiter of this.waiters) waiter.wake();
  }

  private ensureListening(): Promise<void> {
    if (!this.listening) {
      this.listening = this.listen().catch((error) => {
        this.listening = undefined;
        throw error;
      });
    }
    return this.listening;
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.connectionString });
    client.on('notification', () => this.wakeAll());
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    this.listener = client;
  }

  private reconnect(dead: Client): void {
    if (this.closed || this.listener !== dead) return;
    this.listener = undefined;
    this.listening = undefined;
    this.wakeAll(); // subscribers re-read, so nothing committed while we were deaf is missed
    setTimeout(() => void this.ensureListening().catch(() => this.reconnect(dead)), 200).unref();
  }
}

/** One subscriber's latch: a wake-up between its read and its wait is not lost. */
export class Waiter {
  private pending = false;
  private resolve?: () => void;

  constructor(private readonly onDispose: () => void) {}

  wake(): void {
    this.pending = true;
    this.resolve?.();
  }

  /** Forget wake-ups that the read about to start will cover anyway. */
  clear(): void {
    this.pending = false;
  }

  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.pending || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.resolve = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.resolve = done;
    });
  }

  dispose(): void {
    this.resolve?.();
    this.onDispose();
  }
}
