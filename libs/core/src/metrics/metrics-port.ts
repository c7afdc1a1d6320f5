import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { METRICS_CONTENT_TYPE, MetricsExposition } from './metrics-exposition';

/**
 * METRICS_PORT: /metrics on a port of its own, bound to METRICS_HOST (loopback unless told), with
 * no auth — whoever reaches the port may scrape, so the network decides, not a token the scraper
 * must keep. Every role serves it, so a projector or worker process shows its own figures. Only
 * `GET /metrics` answers; nothing else of the API is there.
 */
@Injectable()
export class MetricsPort implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;
  private readonly logger = new Logger(MetricsPort.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly exposition: MetricsExposition,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metricsPort === undefined) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.metricsPort, this.config.metricsHost, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics at http://${this.config.metricsHost}:${this.port()}/metrics`);
  }

  /** The port it listens on (the system's pick for METRICS_PORT=0); undefined when not serving. */
  port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== '/metrics') return this.send(response, 404, 'not found\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return this.send(response, 405, 'GET /metrics only\n', { Allow: 'GET, HEAD' });
    try {
      const text = await this.exposition.render();
      this.send(response, 200, request.method === 'HEAD' ? '' : text, { 'Content-Type': METRICS_CONTENT_TYPE });
    } catch (error) {
      this.logger.error(error);
      this.send(response, 500, 'metrics unavailable\n');
    }
  }

  private send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(body);
  }
}
