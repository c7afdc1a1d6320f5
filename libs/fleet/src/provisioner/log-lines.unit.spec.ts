import { matchesLogQuery, parseLogLine } from './log-lines';

const line = (time: string, level?: string, msg = 'GET /info') => JSON.stringify({ time, ...(level && { level }), msg });

describe('instance log lines', () => {
  it('reads the time and level of a media node line; an old line without a level is info; a crash trace is an error without a time', () => {
    expect(parseLogLine(line('2026-11-27T10:00:00.000Z', 'warn'))).toMatchObject({ time: '2026-11-27T10:00:00.000Z', severity: 'warn' });
    expect(parseLogLine(line('2026-11-27T10:00:00.000Z'))).toMatchObject({ severity: 'info' });
    expect(parseLogLine(line('2026-11-27T10:00:00.000Z', 'loud'))).toMatchObject({ severity: 'info' });
    expect(parseLogLine('    at Object.<anonymous> (main.js:3:9)')).toEqual({ time: null, severity: 'error', line: '    at Object.<anonymous> (main.js:3:9)' });
    expect(parseLogLine('42')).toMatchObject({ time: null, severity: 'error' });
  });

  it('keeps lines from since (inclusive) to until (exclusive), at or above the severity asked, containing the search', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, s));
    const entries = [line(at(0).toISOString(), 'debug'), line(at(1).toISOString(), 'info'), line(at(2).toISOString(), 'warn', 'GET /nope'), line(at(3).toISOString(), 'error')].map(parseLogLine);
    const kept = (query: Parameters<typeof matchesLogQuery>[1]) => entries.filter((e) => matchesLogQuery(e, query)).map((e) => e.severity);
    expect(kept({})).toEqual(['debug', 'info', 'warn', 'error']);
    expect(kept({ since: at(1), until: at(3) })).toEqual(['info', 'warn']);
    expect(kept({ severity: 'warn' })).toEqual(['warn', 'error']);
    expect(kept({ severity: 'debug' })).toEqual(['debug', 'info', 'warn', 'error']);
    expect(kept({ search: 'NOPE' })).toEqual(['warn']);
    // A line without a time cannot be placed in a window, but shows without one.
    const trace = parseLogLine('Error: boom');
    expect(matchesLogQuery(trace, { until: at(9) })).toBe(false);
    expect(matchesLogQuery(trace, { severity: 'error' })).toBe(true);
  });
});
