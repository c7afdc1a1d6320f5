import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type Responder = (req: Received, hits: number) => { status: number; headers?: Record<string, string>; delayMs?: number };

/** A real HTTP receiver on a free local port: records every request and answers per path. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly responders = new Map<string, Responder>();
  private readonly open = new Map<string, number>();
  private readonly hits = new Map<string, number>();
  /** The most requests of one path that were being answered at once. */
  readonly mostAtOnce = new Map<string, number>();
  private server!: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const got: Received = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        this.received.push(got);
        // Counted per path rather than filtered from `received`: the bench sends tens of thousands.
        const hits = (this.hits.get(got.path) ?? 0) + 1;
        this.hits.set(got.path, hits);
        const responder: Responder = this.responders.get(got.path) ?? (() => ({ status: 200 }));
        const { status, headers, delayMs } = responder(got, hits);
        const now = (this.open.get(got.path) ?? 0) + 1;
        this.open.set(got.path, now);
        this.mostAtOnce.set(got.path, Math.max(now, this.mostAtOnce.get(got.path) ?? 0));
        setTimeout(() => {
          this.open.set(got.path, (this.open.get(got.path) ?? 1) - 1);
          res.writeHead(status, headers).end();
        }, delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  answer(path: string, responder: Responder): void {
    this.responders.set(path, responder);
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
