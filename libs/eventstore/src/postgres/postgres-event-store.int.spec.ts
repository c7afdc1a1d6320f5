import { createTestDatabase } from '@streamplane/testing';
import { runMigrations } from '@streamplane/core/database/migrations';
import { EVENT_STORE_MIGRATIONS } from '../index';
import { PostgresEventStore } from './postgres-event-store';
import { describeEventStoreContract } from '../../test/event-store.contract';

describeEventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase('es_contract');
  await runMigrations(db.url, [EVENT_STORE_MIGRATIONS]);
  const store = new PostgresEventStore(db.pool, db.url);
  return {
    store,
    async teardown() {
      await store.close();
      await db.drop();
    },
  };
});
