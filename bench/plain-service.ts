import Fastify from 'fastify';
import { Pool } from 'pg';

/**
 * The yardstick for HTTP speed: what a plain service does per request with no event sourcing —
 * a hello, one INSERT, one SELECT by id — on the same machine, PostgreSQL and load generator as
 * the system. Run as its own process (DATABASE_URL, PORT) so it gets a core of its own, as the
 * system does.
 */
async function main() {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 16 });
  await pool.query('CREATE TABLE IF NOT EXISTS crud (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, data jsonb, created_at timestamptz DEFAULT now())');
  const app = Fastify();
  app.get('/hello', async () => ({ hello: 'world' }));
  app.get<{ Params: { id: string } }>('/streams/:id', async (request) => (await pool.query('SELECT * FROM crud WHERE id = $1', [request.params.id])).rows[0]);
  app.post<{ Body: { name: string; data: unknown } }>('/streams', async (request, reply) => {
    const { rows } = await pool.query('INSERT INTO crud (name, data) VALUES ($1, $2) RETURNING id', [request.body.name, request.body.data]);
    reply.code(201);
    return { id: rows[0].id };
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  await pool.query(`INSERT INTO crud (name, data) VALUES ('one', '{}')`);
  process.send?.('ready');
}

void main();
