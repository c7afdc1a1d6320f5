import { IncomingHttpHeaders, request } from 'node:http';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body is JSON, else undefined. */
  body: unknown;
  text: string;
}

/** An HTTP answer, or why there was none (ECONNRESET, ECONNREFUSED, socket hang up, TIMEOUT). */
export type Outcome = { kind: 'answer'; answer: Answer } | { kind: 'dropped'; code: string; message: string };

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
}

/**
 * One request on a fresh connection (no keep-alive agent): a fault test must tell a connection the
 * server dropped from one the client's pool reused after the server's keep-alive timeout, and
 * node:http with `agent: false` makes every drop the server's doing. Never throws.
 */
export function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Outcome> {
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...options.headers };
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = request(new URL(path, baseUrl), { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'dropped', code: error.code ?? 'EPIPE', message: error.message }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = /json/.test(res.headers['content-type'] ?? '') ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        settle({ kind: 'answer', answer: { status: res.statusCode ?? 0, headers: res.headers, body, text } });
      });
    });
    const timeoutMs = options.timeoutMs ?? 15_000;
    const timer = setTimeout(() => {
      req.destroy();
      settle({ kind: 'dropped', code: 'TIMEOUT', message: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'dropped', code: error.code ?? 'ERROR', message: error.message }));
    req.end(payload);
  });
}

/** The answer, or an error naming the request (for setup steps that must succeed). */
export async function answer(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const outcome = await call(baseUrl, method, path, options);
  if (outcome.kind === 'dropped') throw new Error(`${method} ${path}: no answer (${outcome.code}: ${outcome.message})`);
  return outcome.answer;
}

export async function expectStatus(baseUrl: string, method: string, path: string, status: number, options: CallOptions = {}): Promise<Answer> {
  const res = await answer(baseUrl, method, path, options);
  if (res.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${res.status} ${res.text.slice(0, 500)}`);
  return res;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
