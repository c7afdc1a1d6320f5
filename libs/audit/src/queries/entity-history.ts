import { Injectable } from '@nestjs/common';
import { NotFoundError, StreamCategory } from '@streamplane/core';
import { clusterStreams, InstanceDirectory, instanceEvents, instanceStreams } from '@streamplane/fleet';
import { groupStreams, streamStreams } from '@streamplane/streams/events';
import { webhookStreams } from '@streamplane/webhooks/events';
import { EventLog, EventPage } from './event-log';

/** The collections with a history, each an entity with a stream of its own. */
const OWN_STREAMS = { streams: streamStreams, groups: groupStreams, instances: instanceStreams, clusters: clusterStreams, webhooks: webhookStreams } satisfies Record<string, StreamCategory>;
export type HistoryCollection = keyof typeof OWN_STREAMS | 'deploys';

/** A deploy has no stream: its events are those of its instance that name it. */
const DEPLOY_KINDS = ['DeployRequested', 'DeployStarted', 'DeployCompleted', 'DeployFailed', 'DeployCancelled'] satisfies Array<keyof typeof instanceEvents.kinds>;

/** An entity's own events, in order: its stream's (a deploy's: its instance's that name it). */
@Injectable()
export class EntityHistory {
  constructor(
    private readonly log: EventLog,
    private readonly instances: InstanceDirectory,
  ) {}

  async of(workspaceId: string, collection: HistoryCollection, id: string, page: { after?: bigint; limit: number }): Promise<EventPage> {
    if (collection === 'deploys') return this.ofDeploy(workspaceId, id);
    const history = await this.log.page({ workspaceId, streamId: OWN_STREAMS[collection].stream(id), ...page });
    // An entity of another workspace (or none) has no events here; past its last page it has.
    if (history.items.length === 0 && page.after === undefined) throw new NotFoundError(`no such ${collection.slice(0, -1)}`);
    return history;
  }

  /** A deploy's few events, whole: they are read off its instance's deploy events. */
  private async ofDeploy(workspaceId: string, deployId: string): Promise<EventPage> {
    const instanceId = await this.instances.instanceOfDeploy(workspaceId, deployId);
    if (!instanceId) throw new NotFoundError('no such deploy');
    const items: EventPage['items'] = [];
    let after: bigint | undefined;
    for (;;) {
      const page = await this.log.page({ workspaceId, streamId: instanceStreams.stream(instanceId), types: DEPLOY_KINDS, after, limit: 1000 });
      items.push(...page.items.filter((event) => event.data.deploy_id === deployId));
      if (page.next_after === null) return { items, next_after: null };
      after = BigInt(page.next_after);
    }
  }
}
