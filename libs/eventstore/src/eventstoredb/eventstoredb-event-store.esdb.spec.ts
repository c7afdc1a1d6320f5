import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { describeEventStoreContract } from '../../test/event-store.contract';

// Joins the suite only when EVENTSTORE_CONNECTION_STRING is set (see jest.config.js and the README).
describeEventStoreContract('EventStoreDB', async () => {
  const store = new EventStoreDbEventStore(process.env.EVENTSTORE_CONNECTION_STRING as string);
  return { store, teardown: () => store.close() };
});
