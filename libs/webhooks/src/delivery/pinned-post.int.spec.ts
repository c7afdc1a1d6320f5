import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { postPinned } from './pinned-post';

describe('postPinned: the connection goes to the checked address, the request keeps its host', () => {
  let server: Server;
  let port: number;
  const got: Array<{ host?: string; body: string; remote?: string }> = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        got.push({ host: req.headers.host, body, remote: req.socket.remoteAddress });
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
        res.writeHead(req.url === '/busy' ? 503 : 200, { 'retry-after': '7' }).end('x'.repeat(500));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reaches the pinned address under a name DNS does not know, with that name as Host', async () => {
    // `.invalid` never resolves (RFC 2606): only the pinned address can have been used.
    const target = { url: new URL(`http://hooks.rebound.invalid:${port}/in`), pinned: { address: '127.0.0.1', family: 4 as const } };
    const answer = await postPinned(target, { 'content-type': 'application/json' }, '{"a":1}', AbortSignal.timeout(5000), 20);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('x'.repeat(20));
    expect(got.at(-1)).toEqual({ host: `hooks.rebound.invalid:${port}`, body: '{"a":1}', remote: '127.0.0.1' });
    const busy = await postPinned({ ...target, url: new URL(`http://hooks.rebound.invalid:${port}/busy`) }, {}, '', AbortSignal.timeout(5000));
    expect([busy.status, busy.headers['retry-after']]).toEqual([503, '7']);
  });

  it('without a pinned address the name is looked up, and fails', async () => {
    await expect(postPinned({ url: new URL(`http://hooks.rebound.invalid:${port}/in`) }, {}, '', AbortSignal.timeout(5000))).rejects.toThrow(/ENOTFOUND|EAI_AGAIN/);
  });

  it('the signal ends a slow answer', async () => {
    const target = { url: new URL(`http://127.0.0.1:${port}/slow`), pinned: { address: '127.0.0.1', family: 4 as const } };
    await expect(postPinned(target, {}, '', AbortSignal.timeout(200))).rejects.toMatchObject({ name: expect.stringMatching(/AbortError|TimeoutError/) });
  });
});
