import { EventView } from '@streamplane/core';
import { CSV_COLUMNS, csvField, exportLine } from './event-export';

const event: EventView = {
  position: '42',
  event_id: 'e-1',
  type: 'StreamCreated',
  event_version: 1,
  stream_id: 'stream-s1',
  revision: '0',
  target: { type: 'stream', id: 's1' },
  actor: { type: 'user', id: 'u1' },
  occurred_at: '2026-11-27T12:00:00.000Z',
  data: { name: 'a "quoted", name\nwith a break' },
  metadata: { correlation_id: 'c1', causation_id: 'c1', request_id: null },
};

describe('export lines', () => {
  it('ndjson: one event per line, the events API shape', () => {
    const line = exportLine(event, 'ndjson');
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(event);
  });

  it('csv: quotes what needs it and doubles quotes, one field per column', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    const line = exportLine(event, 'csv');
    expect(line.endsWith('\r\n')).toBe(true);
    expect(line.startsWith('42,e-1,StreamCreated,1,stream-s1,0,stream,s1,user,u1,2026-11-27T12:00:00.000Z,c1,c1,,"')).toBe(true);
    const data = line.slice(line.indexOf(',"') + 2, -3).replace(/""/g, '"');
    expect(JSON.parse(data)).toEqual(event.data);
    expect(CSV_COLUMNS).toHaveLength(15);
  });

  it('csv: a field a spreadsheet would run as a formula is neutralised with an apostrophe', () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    for (const start of ['+', '-', '@', '\t']) expect(csvField(`${start}1`)).toBe(`'${start}1`);
    expect(csvField(42)).toBe('42');
  });
});

describe('EventExport', () => {
  it('reads the next page only when the reader asks for more: a stalled client holds a page or two, not the log', async () => {
    const { Readable } = await import('node:stream');
    const { EventExport } = await import('./event-export');
    let pagesRead = 0;
    // 10 full pages of 500 are there to read.
    const log = {
      page: async ({ after }: { after?: bigint }) => {
        pagesRead++;
        const start = Number(after ?? 0n);
        const items = Array.from({ length: 500 }, (_, n) => ({ ...event, position: String(start + n + 1) }));
        return { items, next_after: start + 500 < 5000 ? String(start + 500) : null };
      },
    };
    const sent = { count: 0 };
    const stream = Readable.from(new EventExport(log as never).lines({ workspaceId: 'w' }, 'ndjson', sent), { highWaterMark: 1 });
    const first = await new Promise<string>((resolve) => stream.once('data', (chunk: string) => (stream.pause(), resolve(chunk))));
    expect(JSON.parse(first.split('\n')[0]).position).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The page handed out and at most one waiting in the buffer, of the ten there are.
    expect(pagesRead).toBeLessThanOrEqual(2);
    expect(sent.count).toBeLessThanOrEqual(1000);
    stream.resume();
    let lines = first.split('\n').length - 1;
    for await (const chunk of stream) lines += (chunk as string).split('\n').length - 1;
    expect(lines).toBe(5000);
    expect(pagesRead).toBe(10);
    expect(sent.count).toBe(5000);
  });
});
