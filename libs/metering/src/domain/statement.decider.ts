import { createHash } from 'node:crypto';
import { Aggregate, Decider, InvalidStateError } from '@streamplane/core/domain';
import { IssuedStatement, StatementEvent, statementStreams } from './statement.events';

export type StatementCommand = { type: 'IssueStatement'; statement: IssuedStatement; monthEnd: Date; now: Date };

export interface StatementState {
  workspaceId?: string;
  issued: boolean;
}

/**
 * The digest of a statement: SHA-256 over its JSON with keys in a fixed order, so anyone holding
 * the lines can recompute it.
 */
export function statementDigest(statement: IssuedStatement): string {
  return createHash('sha256').update(canonicalJson(statement)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A month's statement is issued once, after the month ended; issuing again changes nothing. */
export const statementDecider: Decider<StatementCommand, StatementEvent, StatementState> = {
  initialState: () => ({ issued: false }),
  evolve: (state, event) => ({ ...state, workspaceId: event.data.workspace_id, issued: true }),
  decide: (command, state) => {
    if (state.issued) return [];
    if (command.now < command.monthEnd) throw new InvalidStateError(`the month ${command.statement.month} has not ended yet`);
    return [{ type: 'StatementIssued', data: { ...command.statement, digest: statementDigest(command.statement), at: command.now.toISOString() } }];
  },
};

export const statements: Aggregate<StatementCommand, StatementEvent, StatementState> = { category: statementStreams, decider: statementDecider, noun: 'statement' };
