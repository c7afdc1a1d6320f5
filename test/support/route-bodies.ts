/** A route as the live router names it: `post /v1/workspaces/:workspace_id/streams`. */
export const routeKey = (method: string, path: string) => `${method} ${path}`;

export interface ValidRequest {
  body?: object;
  query?: Record<string, string>;
}

/** Ids and names of one workspace's own entities, for bodies that refer to them. */
export interface OwnRefs {
  clusterId: string;
  streamId: string;
  groupName: string;
  /** A member who is not the owner (a transfer-ownership target). */
  memberId: string;
}

/**
 * A body (and query) each workspace write route accepts, so a sweep's answer is never "400, bad
 * body": validation runs after the guards, so with a check missing the request would go through.
 * Routes without an entry take an empty body.
 */
export function validRequests(own: OwnRefs): Record<string, ValidRequest> {
  const p = (path: string) => `/v1/workspaces/:workspace_id${path}`;
  const stream = { name: 'swept', data: { reference: 'file:///swept.mp4' }, event_handler: {}, group_name: own.groupName };
  return {
    [routeKey('patch', p(''))]: { body: { name: 'Renamed' } },
    [routeKey('post', p('/members'))]: { body: { email: 'grace@example.com', role: 'viewer' } },
    [routeKey('patch', p('/members/:user_id'))]: { body: { role: 'admin' } },
    [routeKey('post', p('/transfer-ownership'))]: { body: { user_id: own.memberId } },
    [routeKey('post', p('/limit-requests'))]: { body: { desired_limit: 9, reason: 'more cameras' } },
    [routeKey('post', p('/service-tokens'))]: { body: { name: 'handler', scopes: ['streams:handle'] } },
    [routeKey('post', p('/clusters'))]: { body: { name: 'second', image_version: '1.0.0' } },
    [routeKey('patch', p('/clusters/:cluster_id'))]: { body: { name: 'renamed' } },
    [routeKey('post', p('/instances'))]: { body: { cluster_id: own.clusterId } },
    [routeKey('patch', p('/instances/:instance_id'))]: { body: { machine_type: 'small' } },
    [routeKey('post', p('/instances/:instance_id/deploys'))]: { body: { image_version: '1.1.0' } },
    [routeKey('post', p('/instances/:instance_id/rollback'))]: { body: {} },
    [routeKey('post', p('/deploys/:deploy_id/cancel'))]: { body: { reason: 'swept' } },
    [routeKey('post', p('/clusters/:cluster_id/versions/:image_version/no-rollback'))]: { body: { reason: 'swept' } },
    [routeKey('post', p('/deploy-blocks'))]: { body: { reason: 'swept', cluster_id: own.clusterId } },
    [routeKey('put', p('/instances/:instance_id/env'))]: { body: { envs: { GREETING: 'hello' } } },
    [routeKey('delete', p('/instances/:instance_id/env'))]: { query: { names: 'GREETING' } },
    [routeKey('post', p('/streams'))]: { body: stream },
    [routeKey('delete', p('/streams'))]: { body: { stream_ids: [own.streamId] } },
    [routeKey('patch', p('/streams/:stream_id'))]: { body: { description: 'changed' } },
    [routeKey('put', p('/streams/:stream_id'))]: { body: stream },
    [routeKey('post', p('/groups'))]: { body: { group_name: 'backstage' } },
    [routeKey('patch', p('/groups/:group_id'))]: { body: { description: 'changed' } },
    [routeKey('post', p('/groups/:group_id/streams'))]: { body: { action: 'attach', stream_ids: [own.streamId] } },
    [routeKey('post', p('/queue/take'))]: { body: { limit: 1 } },
    [routeKey('post', p('/webhooks'))]: { body: { name: 'second-hook', url: 'https://93.184.216.34/hook', is_enabled: false } },
    [routeKey('patch', p('/webhooks/:webhook_id'))]: { body: { name: 'renamed-hook' } },
    [routeKey('post', p('/webhooks/:webhook_id/recover'))]: { body: { since: '2026-01-01T00:00:00.000Z' } },
    [routeKey('post', p('/queue/feedback'))]: { body: { streams: [{ stream_id: own.streamId, status: 'in_progress' }] } },
  };
}
