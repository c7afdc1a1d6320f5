import { createHash } from 'node:crypto';
import { InvalidStateError } from '@streamplane/core/domain';
import { deciderSpec } from '@streamplane/testing';
import { statementDecider, statementDigest } from './statement.decider';
import { IssuedStatement } from './statement.events';

const statement: IssuedStatement = {
  workspace_id: 'ws-1',
  month: '2026-01',
  currency: 'USD',
  amount: 1.5,
  free_tier_seconds_applied: 3600,
  through_position: '42',
  lines: [
    {
      subject_type: 'instance',
      subject_id: 'i-1',
      description: 'instance edge-1 (small)',
      machine_type: 'small',
      seconds: 7200,
      energy_kwh: 0.044,
      emissions_g: 15.4,
      unit_price_per_hour: 0.04,
      amount: 0.08,
      events: { count: 120, first_position: '3', last_position: '42' },
    },
  ],
};
const monthEnd = new Date('2026-02-01T00:00:00.000Z');
const now = new Date('2026-02-01T01:00:00.000Z');
const spec = deciderSpec(statementDecider);

describe('statement decider', () => {
  it('issues a statement once its month has ended, with the digest of its contents', () => {
    spec.given([]).when({ type: 'IssueStatement', statement, monthEnd, now }).then([{ type: 'StatementIssued', data: { ...statement, digest: statementDigest(statement), at: now.toISOString() } }]);
  });

  it('refuses a month that has not ended', () => {
    spec.given([]).when({ type: 'IssueStatement', statement, monthEnd, now: new Date('2026-01-31T23:59:59.000Z') }).thenThrows(InvalidStateError, /not ended/);
  });

  it('issuing again changes nothing', () => {
    const issued = { type: 'StatementIssued' as const, data: { ...statement, digest: statementDigest(statement), at: now.toISOString() } };
    spec.given([issued]).when({ type: 'IssueStatement', statement: { ...statement, amount: 99 }, monthEnd, now }).then([]);
  });
});

describe('statementDigest', () => {
  it('is SHA-256 of the statement as JSON with sorted keys, whatever order the keys came in', () => {
    const reordered = Object.fromEntries(Object.entries(statement).reverse()) as IssuedStatement;
    expect(statementDigest(reordered)).toBe(statementDigest(statement));
    const canonical = JSON.stringify({ amount: 1, currency: 'USD' });
    expect(statementDigest({ currency: 'USD', amount: 1 } as unknown as IssuedStatement)).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('changes when any line changes', () => {
    const changed = { ...statement, lines: [{ ...statement.lines[0], seconds: 7201 }] };
    expect(statementDigest(changed)).not.toBe(statementDigest(statement));
  });
});
