import { PoolClient } from 'pg';
import { RecordedEvent } from '@streamplane/eventstore';
import { EventConsumer } from './event-consumer';

/** Runs a consumer's handlers over events inside the caller's transaction, against one schema's tables. */
export async function applyEvents(
  client: PoolClient,
  consumer: EventConsumer,
  events: RecordedEvent[],
  schema: string,
  types: ReadonlySet<string> = new Set(consumer.eventTypes),
): Promise<void> {
  const relevant = events.filter((e) => types.has(e.type));
  if (relevant.length === 0) return;
  await client.query(`SET LOCAL search_path TO "${schema}", public`);
  await consumer.process(client, relevant);
}
