import http from 'node:http';
import net from 'node:net';

/** One request exactly as it goes on the wire: supertest would normalise the hostile parts away. */
export interface FuzzRequest {
  /** The operation it exercises, e.g. `POST /v1/workspaces/{workspace_id}/streams`. */
  operation: string;
  method: string;
  /** Already percent-encoded path and query. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Raw bytes for a socket (malformed HTTP); replaces method/path/headers/body. */
  raw?: Buffer;
}

export interface FuzzResponse {
  /** 0: no HTTP answer at all (connection reset, timeout). */
  status: number;
  contentType: string;
  body: string;
}

const TIMEOUT_MS = 30_000;

export function send(port: number, agent: http.Agent, request: FuzzRequest): Promise<FuzzResponse> {
  return request.raw ? sendRaw(port, request.raw) : sendHttp(port, agent, request);
}

function sendHttp(port: number, agent: http.Agent, request: FuzzRequest): Promise<FuzzResponse> {
  return new Promise((resolve) => {
    const noAnswer = (error: Error) => resolve({ status: 0, contentType: '', body: `${error.name}: ${error.message}` });
    let outgoing: http.ClientRequest;
    try {
      // An explicit length: for DELETE node's client would send the body without one, and the server would read it as the next request.
      const headers = request.body ? { ...request.headers, 'content-length': String(request.body.length) } : request.headers;
      outgoing = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent, timeout: TIMEOUT_MS }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', noAnswer);
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, contentType: String(incoming.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      });
    } catch (error) {
      // The generator made something node's own client refuses to send: a bug in the test.
      resolve({ status: -1, contentType: '', body: String(error) });
      return;
    }
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', noAnswer);
    outgoing.end(request.body);
  });
}

/** Writes bytes to a fresh socket and parses whatever HTTP answer comes back before the server closes it. */
function sendRaw(port: number, bytes: Buffer): Promise<FuzzResponse> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      socket.destroy();
      resolve(parseRawResponse(Buffer.concat(chunks).toString('latin1')));
    };
    socket.setTimeout(5_000, finish);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // The whole answer is in once the body reaches its Content-Length.
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
      if (head >= 0 && length && text.length - head - 4 >= Number(length[1])) finish();
    });
    socket.on('end', finish);
    socket.on('error', finish);
    socket.end(bytes);
  });
}

function parseRawResponse(text: string): FuzzResponse {
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!status) return { status: 0, contentType: '', body: `no HTTP answer: ${JSON.stringify(text.slice(0, 200))}` };
  const head = text.indexOf('\r\n\r\n');
  const type = /\r\ncontent-type:\s*([^\r\n]*)/i.exec(text.slice(0, head));
  return { status: Number(status[1]), contentType: type?.[1] ?? '', body: head >= 0 ? text.slice(head + 4) : '' };
}

/** What API.md promises of every answer: never a 5xx, and every 4xx a problem+json that says what was wrong. */
export function contractViolation(response: FuzzResponse): string | undefined {
  if (response.status <= 0) return `no answer (${response.body})`;
  if (response.status >= 500) return `answered ${response.status}`;
  if (response.status < 400) return undefined;
  if (!/^application\/problem\+json/.test(response.contentType)) return `${response.status} with Content-Type "${response.contentType}"`;
  let problem: { status?: unknown; title?: unknown; detail?: unknown; code?: unknown; errors?: unknown };
  try {
    problem = JSON.parse(response.body);
  } catch {
    return `${response.status} with a body that is not JSON`;
  }
  if (problem.status !== response.status) return `${response.status} with problem.status ${String(problem.status)}`;
  if (typeof problem.title !== 'string' || !problem.title) return `${response.status} without a title`;
  if (typeof problem.detail !== 'string' || !problem.detail) return `${response.status} without a detail`;
  const namesFields = Array.isArray(problem.errors) && problem.errors.length > 0 && problem.errors.every((e: { field?: unknown }) => typeof e?.field === 'string' && e.field.length > 0);
  if (response.status === 400 && (problem.code === 'validation_failed' || problem.code === 'malformed_json') && !namesFields) {
    return `400 ${String(problem.code)} without errors[].field`;
  }
  return undefined;
}
