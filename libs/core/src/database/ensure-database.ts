import { Client, DatabaseError } from 'pg';

/** Creates the database named in the URL when it does not exist yet (first start, fresh machine). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL names no database: ${redactUrl(databaseUrl)}`);
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  } catch (error) {
    // Two processes starting together both try to create it; one of them loses, harmlessly.
    if (!(error instanceof DatabaseError && (error.code === '42P04' || error.code === '23505'))) throw error;
  } finally {
    await client.end();
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Query parameters whose values are secrets wherever they appear (connection strings, request URLs). */
const SECRET_PARAMETER = /^(password|passwd|pass|pwd|token|access_token|refresh_token|id_token|api_key|apikey|key|secret|client_secret|signature|sig)$/i;

/**
 * A URL fit for logs and answers: its password and secret query parameters become `***`.
 * Absolute URLs (connection strings) and request paths (`/v1/me?access_token=…`) both work.
 */
export function redactUrl(value: string): string {
  const relative = value.startsWith('/');
  try {
    const url = new URL(value, relative ? 'http://relative.invalid' : undefined);
    if (url.password) url.password = '***';
    for (const name of [...url.searchParams.keys()]) if (SECRET_PARAMETER.test(name)) url.searchParams.set(name, '***');
    return relative ? `${url.pathname}${url.search}${url.hash}` : url.toString();
  } catch {
    return '***';
  }
}

/** A parsed query (as logged) with the values of secret parameters replaced. */
export function redactQuery(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, SECRET_PARAMETER.test(name) ? '***' : value]));
}
