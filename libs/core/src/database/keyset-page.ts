import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { ValidationError } from '../domain/domain-errors';
import { CursorPageQuery } from '../http/page-query';

/** Up to this many matching rows `total` is counted exactly; past it, the planner's estimate (unless `count=exact`). */
export const EXACT_TOTAL_UP_TO = 1_000;

/** A list read: its select list, table(s), WHERE with its parameters, and its sort key. */
export interface KeysetList {
  columns: string;
  from: string;
  where: string;
  params: unknown[];
  /** Ascending sort key, unique with its last column: `[SQL expression, SQL type]`. An index should lead with the WHERE's equalities, then these. */
  key: Array<[expression: string, type: string]>;
}

/** The list answer of API.md. */
export interface KeysetPage<T> {
  items: T[];
  page: number;
  page_size: number;
  total: number;
  total_exact: boolean;
  next_cursor: string | null;
}

/** What a cursor carries: the next page's number, the last key seen, the filters' fingerprint and the first page's total. */
interface CursorState {
  p: number;
  k: string[];
  f: string;
  t: number;
  e: boolean;
}

const PAGING_FIELDS = new Set(['page', 'page_size', 'cursor', 'count']);

/** A fingerprint of the filters a list was asked with (paging parameters left out), so a cursor only continues its own list. */
function fingerprint(filters: object): string {
  const entries = Object.entries(filters)
    .filter(([name, value]) => !PAGING_FIELDS.has(name) && value !== undefined && !(Array.isArray(value) && value.length === 0))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 16);
}

function badCursor(message: string): ValidationError {
  return new ValidationError('malformed cursor', [{ field: 'cursor', message }]);
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeCursor(cursor: string, keyLength: number, filters: string): CursorState {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not a cursor this list gave out');
  }
  const s = state as Partial<CursorState> | null;
  const valid =
    typeof s === 'object' &&
    s !== null &&
    Number.isSafeInteger(s.p) &&
    (s.p ?? 0) >= 1 &&
    Array.isArray(s.k) &&
    s.k.length === keyLength &&
    s.k.every((part) => typeof part === 'string' && part.length <= 256) &&
    typeof s.f === 'string' &&
    Number.isSafeInteger(s.t) &&
    typeof s.e === 'boolean';
  if (!valid) throw badCursor('not a cursor this list gave out');
  if (s.f !== filters) throw badCursor('the cursor belongs to a list with other filters: ask again without it, or with the filters it was given for');
  return s as CursorState;
}

/**
 * One page of a list, read by key: after the cursor's last key when a cursor is given (as fast
 * at page 10,000 as at page 1), else at the row offset of `page` (the contract's way, slower the
 * deeper it goes). `total` is exact up to EXACT_TOTAL_UP_TO matching rows, past that the
 * planner's estimate unless `count=exact`; pages reached by cursor carry the first page's total.
 */
export async function listByKey<T extends object>(pool: Pool, list: KeysetList, query: CursorPageQuery, filters: object): Promise<KeysetPage<T>> {
  const pageSize = query.page_size ?? 20;
  const filtersPrint = fingerprint(filters);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, list.key.length, filtersPrint);
  const page = after?.p ?? query.page ?? 1;
  const params = [...list.params];
  const keys = list.key.map(([expression]) => expression);
  const where = after
    ? `(${list.where}) AND (${keys.join(', ')}) > (${list.key.map(([, type], i) => `$${params.push(after.k[i])}::${type}`).join(', ')})`
    : list.where;
  const offset = after ? 0 : (page - 1) * pageSize;
  const keyColumns = keys.map((expression, i) => `${expression}::text AS _key${i}`).join(', ');
  const read = pool.query<Record<string, unknown>>(
    // Bound, not written into the text: each page size and offset would otherwise be a statement of its own to prepare.
    `SELECT ${list.columns}, ${keyColumns} FROM ${list.from} WHERE ${where} ORDER BY ${keys.join(', ')} LIMIT $${params.push(pageSize + 1)} OFFSET $${params.push(offset)}`,
    params,
  );
  const counted = after && query.count !== 'exact' ? { total: after.t, exact: after.e } : countRows(pool, list, query.count === 'exact');
  let rows: Array<Record<string, unknown>>;
  try {
    rows = (await read).rows;
  } catch (error) {
    // A cursor that decodes but holds a key its types refuse (22P02 and its kin) was not given out by us.
    if (after && typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('22')) throw badCursor('not a cursor this list gave out');
    throw error;
  }
  const { total, exact } = await counted;
  const more = rows.length > pageSize;
  const shown = more ? rows.slice(0, pageSize) : rows;
  const items = shown.map((row) => {
    const item = { ...row };
    for (let i = 0; i < keys.length; i++) delete item[`_key${i}`];
    return item as T;
  });
  const last = shown[shown.length - 1];
  const next_cursor =
    more && last ? encodeCursor({ p: page + 1, k: keys.map((_, i) => String(last[`_key${i}`])), f: filtersPrint, t: total, e: exact }) : null;
  return { items, page, page_size: pageSize, total, total_exact: exact, next_cursor };
}

/** The matching rows counted, at most EXACT_TOTAL_UP_TO + 1 of them unless `exact`; beyond that, the planner's estimate. */
async function countRows(pool: Pool, list: KeysetList, exact: boolean): Promise<{ total: number; exact: boolean }> {
  const cap = exact ? '' : `LIMIT ${EXACT_TOTAL_UP_TO + 1}`;
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT 1 FROM ${list.from} WHERE ${list.where} ${cap}) AS matching`, list.params);
  const n = Number(rows[0].n);
  if (exact || n <= EXACT_TOTAL_UP_TO) return { total: n, exact: true };
  const plan = await pool.query<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${list.from} WHERE ${list.where}`, list.params);
  return { total: Math.max(n, Math.round(plan.rows[0]['QUERY PLAN'][0].Plan['Plan Rows'])), exact: false };
}
