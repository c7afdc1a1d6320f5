import { PoolClient } from 'pg';
import { entityVersion, RecordedEventOf } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { InstanceEvent, instanceStreams } from '@streamplane/fleet/events';

export const idOf = (event: RecordedEvent) => instanceStreams.idOf(event.streamId);

/** Moves the instance to the event's version; false when the event was applied already (a replay). */
export async function advance(client: PoolClient, event: RecordedEventOf<InstanceEvent>): Promise<boolean> {
  const { rowCount } = await client.query('UPDATE instances SET version = $2, updated_at = $3 WHERE id = $1 AND version < $2', [idOf(event), entityVersion(event), event.data.at]);
  return Boolean(rowCount);
}
