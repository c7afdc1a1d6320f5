import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '@streamplane/testing';
import { MAX_PREPARED_PER_CONNECTION, PreparingClient } from './preparing-client';

describe('PreparingClient', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('preparing_client');
    pool = new Pool({ connectionString: db.url, max: 1, Client: PreparingClient });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const preparedHere = async () =>
    (await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement')).rows.map((row) => row.statement);

  it('prepares a parametrised query once per connection and answers it as before', async () => {
    const text = 'SELECT $1::int + 1 AS next';
    expect((await pool.query(text, [1])).rows).toEqual([{ next: 2 }]);
    expect((await pool.query({ text, values: [41] })).rows).toEqual([{ next: 42 }]);
    expect(await preparedHere()).toEqual([text]);
  });

  it('leaves queries without parameters, and multi-statement scripts, unnamed', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS t (n int); INSERT INTO t VALUES (1)');
    expect((await pool.query('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 1 }]);
    expect(await preparedHere()).not.toContain('SELECT count(*)::int AS n FROM t');
  });

  it('still answers after a table it prepared against is dropped and made again (a projection rebuild swaps tables)', async () => {
    await pool.query('CREATE TABLE swapped (id int, name text)');
    await pool.query(`INSERT INTO swapped VALUES (1, 'old')`);
    const read = 'SELECT name FROM swapped WHERE id = $1';
    expect((await pool.query(read, [1])).rows).toEqual([{ name: 'old' }]);
    await pool.query('DROP TABLE swapped; CREATE TABLE swapped (id int, name text)');
    await pool.query(`INSERT INTO swapped VALUES (1, 'new')`);
    expect((await pool.query(read, [1])).rows).toEqual([{ name: 'new' }]);
  });

  it('stops preparing past its cap, so generated texts cannot grow a connection without bound', async () => {
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 20; i++) await pool.query(`SELECT $1::int AS n${i}`, [i]);
    const count = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements');
    expect(count.rows[0].n).toBe(MAX_PREPARED_PER_CONNECTION);
    expect((await pool.query(`SELECT $1::int AS beyond`, [7])).rows).toEqual([{ beyond: 7 }]);
  });
});
