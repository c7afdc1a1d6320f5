import { Agent as HttpAgent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { LookupFunction } from 'node:net';
import { CheckedTarget } from './url-guard';

export interface PostAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The start of the answer's body (the rest is read and dropped, to free the connection). */
  text: string;
}

/** Answers every lookup of the connection with the pinned address (Node asks with `all` when it tries families in turn). */
function pinnedLookup({ address, family }: NonNullable<CheckedTarget['pinned']>): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * Kept-alive connections per pinned address: an agent pools sockets by host and port alone, so a
 * shared one could hand a request a socket opened to another address of the same name.
 */
const agents = new Map<string, HttpAgent>();
function agentFor(url: URL, address: string): HttpAgent {
  const key = `${url.protocol}//${address}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    agents.set(key, agent);
  }
  return agent;
}

/**
 * One POST to a checked target, connecting to its pinned address while the request keeps the
 * URL's host (the Host header, and the TLS server name and certificate check on https). Redirects
 * are not followed. `signal` ends it (a timeout), answer included.
 */
export function postPinned(target: CheckedTarget, headers: Record<string, string>, body: string, signal: AbortSignal, keep = 200): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      target.url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal, ...(target.pinned ? { lookup: pinnedLookup(target.pinned), agent: agentFor(target.url, target.pinned.address) } : {}) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < keep) text += chunk.slice(0, keep - text.length);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(signal.aborted ? signal.reason : new Error('the answer was cut off'));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
