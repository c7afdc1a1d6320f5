import { probe } from './probe';

export interface HandlerOptions {
  /** Where the Streamplane API is, e.g. http://localhost:3000 */
  apiUrl: string;
  /** An API token (ideally bound to the workspace) with the member role. */
  token: string;
  workspaceId: string;
  /** Streams worked on at once. */
  concurrency: number;
  /** Heartbeat period; keep it under two thirds of the server's lease. */
  heartbeatMs: number;
  /** Pause between takes when the queue is empty. */
  idleMs: number;
  log: (message: string) => void;
}

interface TakenStream {
  stream_id: string;
  name: string;
  data: { reference: string };
}

type Feedback = { stream_id: string; status: 'in_progress' | 'done' | 'failure' | 'restart'; error?: string; video_info?: object };

/**
 * The reference stream handler: takes streams through the same HTTP API any external handler
 * uses, probes each stream's `data.reference` while sending heartbeats, and reports `done` with
 * what it saw, or `failure` with why. Stop it with the abort signal; unfinished streams are then
 * left to their leases.
 */
export class ReferenceHandler {
  private readonly active = new Set<Promise<void>>();

  constructor(private readonly options: HandlerOptions) {}

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const room = this.options.concurrency - this.active.size;
      const taken = room > 0 ? await this.take(room).catch((error: unknown) => (this.options.log(`take failed: ${String(error)}`), [])) : [];
      for (const stream of taken) {
        const work = this.process(stream, signal).finally(() => this.active.delete(work));
        this.active.add(work);
      }
      if (taken.length === 0) await sleep(this.active.size >= this.options.concurrency ? 50 : this.options.idleMs, signal);
    }
    await Promise.allSettled(this.active);
  }

  private async process(stream: TakenStream, signal: AbortSignal): Promise<void> {
    this.options.log(`took ${stream.stream_id} (${stream.name || 'unnamed'}): ${stream.data.reference}`);
    const heartbeat = setInterval(() => void this.feedback([{ stream_id: stream.stream_id, status: 'in_progress' }]).catch(() => undefined), this.options.heartbeatMs);
    try {
      const seen = await probe(stream.data.reference, signal);
      await this.feedback([{ stream_id: stream.stream_id, status: 'done', video_info: seen }]);
      this.options.log(`done ${stream.stream_id}: ${seen.bytes} bytes in ${seen.read_seconds} s`);
    } catch (error) {
      if (signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      await this.feedback([{ stream_id: stream.stream_id, status: 'failure', error: message }]).catch(() => undefined);
      this.options.log(`failed ${stream.stream_id}: ${message}`);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async take(limit: number): Promise<TakenStream[]> {
    return ((await this.call('POST', '/queue/take', { limit })) as { items: TakenStream[] }).items;
  }

  private async feedback(streams: Feedback[]): Promise<void> {
    await this.call('POST', '/queue/feedback', { streams });
  }

  private async call(method: string, path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.options.apiUrl}/v1/workspaces/${this.options.workspaceId}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
