import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { HostLostError, INSTANCE_STATUSES, InstanceAction, InstanceCommand, instanceDecider, InstanceStatus } from './instance.decider';
import { InstanceEvent } from './instance.events';

const now = new Date('2026-11-25T10:00:00.000Z');
const at = now.toISOString();
const config = { cluster_id: 'c1', name: 'edge-1', machine_type: 'xsmall', location: 'eu_central', routing_key: 'edge', image_version: '1.0.0' };
const requested: InstanceEvent = { type: 'InstanceRequested', data: { instance_id: 'i1', workspace_id: 'w1', ...config, at } };
const started: InstanceEvent = { type: 'InstanceProvisioningStarted', data: { image_version: '1.0.0', at } };
const provisioned: InstanceEvent = { type: 'InstanceProvisioned', data: { endpoint: 'http://127.0.0.1:4000', image_version: '1.0.0', at } };

const HISTORY: Record<InstanceStatus, InstanceEvent[]> = {
  pending: [requested],
  provisioning: [requested, started],
  running: [requested, started, provisioned],
  stopping: [requested, started, provisioned, { type: 'InstanceStopRequested', data: { at } }],
  stopped: [requested, started, provisioned, { type: 'InstanceStopRequested', data: { at } }, { type: 'InstanceStopped', data: { at } }],
  failed: [requested, started, { type: 'InstanceProvisioningFailed', data: { error: 'no port', at } }],
  deleting: [requested, { type: 'InstanceDeleteRequested', data: { at } }],
  archived: [requested, { type: 'InstanceDeleteRequested', data: { at } }, { type: 'InstanceArchived', data: { routing_key: 'edge', at } }],
};

const COMMAND: Record<InstanceAction, InstanceCommand> = {
  provision: { type: 'BeginProvisioning', host: 'a', now },
  stop: { type: 'Stop', now },
  start: { type: 'Start', now },
  restart: { type: 'Restart', now },
  reconfigure: { type: 'Reconfigure', machineType: 'large', now },
  delete: { type: 'Delete', now },
  deploy: { type: 'Deploy', deployId: 'd1', imageVersion: '1.1.0', kind: 'deploy', now },
  change_env: { type: 'ChangeEnv', set: { LOG_LEVEL: 'debug' }, unset: [], restart: false, now },
  label: { type: 'Label', labels: { name: 'edge-2', tags: ['eu', 'hd'] }, now },
};

const decideFrom = (from: InstanceStatus, command: InstanceCommand) => instanceDecider.decide(command, HISTORY[from].reduce(instanceDecider.evolve, instanceDecider.initialState()));

/**
 * The transition table of API.md (the instance lifecycle of the reference platform), written out
 * by hand rather than read from the decider's own table: for each status and client action, the
 * exact events the decider must answer, or its refusal — a 400 (InvalidStateError) while the
 * instance exists, a 404 once it is archived.
 */
const REFUSED = 'refused (400)' as const;
const GONE = 'gone (404)' as const;
type Cell = InstanceEvent[] | typeof REFUSED | typeof GONE;

const provisioningStarted: InstanceEvent[] = [{ type: 'InstanceProvisioningStarted', data: { image_version: '1.0.0', host: 'a', at } }];
const stopRequested: InstanceEvent[] = [{ type: 'InstanceStopRequested', data: { at } }];
const startRequested: InstanceEvent[] = [{ type: 'InstanceStartRequested', data: { at } }];
const restartRequested: InstanceEvent[] = [{ type: 'InstanceRestartRequested', data: { at } }];
const reconfigured: InstanceEvent[] = [{ type: 'InstanceReconfigured', data: { machine_type: 'large', at } }];
const deleteRequested: InstanceEvent[] = [{ type: 'InstanceDeleteRequested', data: { at } }];
const deployRequested: InstanceEvent[] = [{ type: 'DeployRequested', data: { deploy_id: 'd1', image_version: '1.1.0', kind: 'deploy', from_version: '1.0.0', at } }];
const envChanged: InstanceEvent[] = [{ type: 'InstanceEnvChanged', data: { set: { LOG_LEVEL: 'debug' }, unset: [], at } }];
const labelled: InstanceEvent[] = [{ type: 'InstanceLabelled', data: { name: 'edge-2', tags: ['eu', 'hd'], at } }];

const TABLE: Record<InstanceStatus, Record<InstanceAction, Cell>> = {
  pending: { provision: provisioningStarted, stop: REFUSED, start: REFUSED, restart: REFUSED, reconfigure: REFUSED, delete: deleteRequested, deploy: REFUSED, change_env: REFUSED, label: labelled },
  // A provisioning job run twice finds the instance provisioning: nothing to add.
  provisioning: { provision: [], stop: REFUSED, start: REFUSED, restart: REFUSED, reconfigure: REFUSED, delete: deleteRequested, deploy: REFUSED, change_env: REFUSED, label: labelled },
  running: { provision: REFUSED, stop: stopRequested, start: REFUSED, restart: restartRequested, reconfigure: reconfigured, delete: deleteRequested, deploy: deployRequested, change_env: envChanged, label: labelled },
  stopping: { provision: REFUSED, stop: REFUSED, start: REFUSED, restart: REFUSED, reconfigure: REFUSED, delete: deleteRequested, deploy: REFUSED, change_env: REFUSED, label: labelled },
  stopped: { provision: REFUSED, stop: REFUSED, start: startRequested, restart: REFUSED, reconfigure: reconfigured, delete: deleteRequested, deploy: deployRequested, change_env: envChanged, label: labelled },
  failed: { provision: REFUSED, stop: REFUSED, start: startRequested, restart: restartRequested, reconfigure: reconfigured, delete: deleteRequested, deploy: deployRequested, change_env: envChanged, label: labelled },
  deleting: { provision: REFUSED, stop: REFUSED, start: REFUSED, restart: REFUSED, reconfigure: REFUSED, delete: REFUSED, deploy: REFUSED, change_env: REFUSED, label: labelled },
  archived: { provision: GONE, stop: GONE, start: GONE, restart: GONE, reconfigure: GONE, delete: GONE, deploy: GONE, change_env: GONE, label: GONE },
};

describe('instance decider: the transition table', () => {
  const cells = (Object.keys(TABLE) as InstanceStatus[]).flatMap((from) => (Object.keys(TABLE[from]) as InstanceAction[]).map((action) => ({ from, action, expected: TABLE[from][action] })));

  it('the table covers every status and action, and every status has a history', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...INSTANCE_STATUSES].sort());
    const actions: InstanceAction[] = ['provision', 'stop', 'start', 'restart', 'reconfigure', 'delete', 'deploy', 'change_env', 'label'];
    for (const status of INSTANCE_STATUSES) {
      expect(Object.keys(TABLE[status]).sort()).toEqual([...actions].sort());
      expect(HISTORY[status].reduce(instanceDecider.evolve, instanceDecider.initialState()).status).toBe(status);
    }
  });

  it.each(cells.filter((c) => Array.isArray(c.expected)))('$action from $from writes exactly its events', ({ from, action, expected }) => {
    expect(decideFrom(from, COMMAND[action])).toEqual(expected);
  });

  it.each(cells.filter((c) => c.expected === REFUSED))('$action is refused from $from (400)', ({ action, from }) => {
    const run = () => decideFrom(from, COMMAND[action]);
    expect(run).toThrow(InvalidStateError);
    expect(run).toThrow(`an instance that is ${from} cannot ${action}`);
  });

  it.each(cells.filter((c) => c.expected === GONE))('$action on an archived instance is 404', ({ action, from }) => {
    expect(() => decideFrom(from, COMMAND[action])).toThrow(NotFoundError);
  });
});

describe('instance decider: worker reports are idempotent', () => {
  const spec = deciderSpec(instanceDecider);

  it('provisioning again (a job run twice) adds nothing', () => {
    spec.given(HISTORY.provisioning).when({ type: 'BeginProvisioning', host: 'a', now }).then([]);
  });

  it('a report for an instance that moved on is moot', () => {
    spec.given(HISTORY.deleting).when({ type: 'ReportProvisioned', endpoint: 'x', host: 'h', now }).then([]);
    spec.given(HISTORY.running).when({ type: 'ReportProvisioned', endpoint: 'x', host: 'h', now }).then([]);
    spec.given(HISTORY.running).when({ type: 'ReportStopped', now }).then([]);
    spec.given(HISTORY.archived).when({ type: 'ReportArchived', now }).then([]);
  });

  it('archiving releases the routing key it held', () => {
    spec.given(HISTORY.deleting).when({ type: 'ReportArchived', now }).then([{ type: 'InstanceArchived', data: { routing_key: 'edge', at } }]);
  });

  it('reconfiguring names the routing key it gives up', () => {
    spec.given(HISTORY.running).when({ type: 'Reconfigure', routingKey: 'core', now }).then([{ type: 'InstanceReconfigured', data: { routing_key: 'core', previous_routing_key: 'edge', at } }]);
    spec.given(HISTORY.running).when({ type: 'Reconfigure', now }).then([]);
  });
});

describe('instance decider: labels', () => {
  const spec = deciderSpec(instanceDecider);

  it('writes only the labels that change, and nothing when none does; tags are kept once each, in order', () => {
    spec.given(HISTORY.running).when({ type: 'Label', labels: { name: 'edge-1', description: '', tags: [] }, now }).then([]);
    spec.given(HISTORY.running).when({ type: 'Label', labels: { name: 'edge-1', description: 'lobby', tags: ['b', 'a', 'b'] }, now }).then([{ type: 'InstanceLabelled', data: { description: 'lobby', tags: ['b', 'a'], at } }]);
    spec.given(HISTORY.running).when({ type: 'Label', labels: { name: null }, now }).then([{ type: 'InstanceLabelled', data: { name: null, at } }]);
    const state = [...HISTORY.running, ...labelled].reduce(instanceDecider.evolve, instanceDecider.initialState());
    expect(state).toMatchObject({ status: 'running', config: { ...config, name: 'edge-2' }, description: '', tags: ['eu', 'hd'] });
    spec.given([...HISTORY.running, ...labelled]).when(COMMAND.label).then([]);
  });

  it('labels beside a placement change are written with it, in one decision; labels alone never restart or redeploy', () => {
    spec.given(HISTORY.stopped).when({ type: 'Reconfigure', machineType: 'large', labels: { description: 'bigger' }, now }).then([
      { type: 'InstanceReconfigured', data: { machine_type: 'large', at } },
      { type: 'InstanceLabelled', data: { description: 'bigger', at } },
    ]);
    // A placement change is refused where the status forbids it, labels and all.
    spec.given(HISTORY.pending).when({ type: 'Reconfigure', machineType: 'large', labels: { description: 'x' }, now }).thenThrows(InvalidStateError);
    for (const status of ['running', 'failed', 'deleting'] as const) {
      expect(decideFrom(status, COMMAND.label).map((e) => e.type)).toEqual(['InstanceLabelled']);
    }
  });
});

describe('instance decider: healing', () => {
  const spec = deciderSpec(instanceDecider);
  const crashed: InstanceEvent = { type: 'InstanceCrashed', data: { error: 'gone', at } };
  const healing = (attempt: number): InstanceEvent => ({ type: 'InstanceHealingStarted', data: { attempt, max_attempts: 2, at } });

  it('a crashed running instance fails and starts healing, attempt by attempt, until the attempts are spent', () => {
    spec.given(HISTORY.running).when({ type: 'ReportCrashed', error: 'gone', maxHeals: 2, now }).then([crashed, healing(1)]);
    const healedOnce = [...HISTORY.running, crashed, healing(1), started, provisioned];
    spec.given(healedOnce).when({ type: 'ReportCrashed', error: 'gone', maxHeals: 2, now }).then([crashed, healing(2)]);
    spec.given([...healedOnce, crashed, healing(2), started, provisioned]).when({ type: 'ReportCrashed', error: 'gone', maxHeals: 2, now }).then([crashed]);
  });

  it('a client restart gives the healing attempts back; a stale crash report is moot', () => {
    const spent = [...HISTORY.running, crashed, healing(1), started, provisioned, crashed, healing(2), started, provisioned];
    spec.given([...spent, { type: 'InstanceRestartRequested', data: { at } }, started, provisioned]).when({ type: 'ReportCrashed', error: 'gone', maxHeals: 2, now }).then([crashed, healing(1)]);
    spec.given(HISTORY.stopped).when({ type: 'ReportCrashed', error: 'gone', maxHeals: 2, now }).then([]);
  });
});

describe('instance decider: deploys, rollback, env', () => {
  const spec = deciderSpec(instanceDecider);
  const deployTo = (id: string, version: string): InstanceEvent[] => [
    { type: 'DeployRequested', data: { deploy_id: id, image_version: version, kind: 'deploy', from_version: '1.0.0', at } },
    { type: 'InstanceProvisioningStarted', data: { image_version: version, at } },
    { type: 'DeployStarted', data: { deploy_id: id, at } },
    { type: 'InstanceProvisioned', data: { endpoint: 'http://127.0.0.1:4001', image_version: version, at } },
    { type: 'DeployCompleted', data: { deploy_id: id, at } },
  ];

  it('a deploy queues the new version; provisioning carries the deploy id', () => {
    spec.given(HISTORY.running).when(COMMAND.deploy).then([{ type: 'DeployRequested', data: { deploy_id: 'd1', image_version: '1.1.0', kind: 'deploy', from_version: '1.0.0', at } }]);
    const queued = [...HISTORY.running, { type: 'DeployRequested', data: { deploy_id: 'd1', image_version: '1.1.0', kind: 'deploy', from_version: '1.0.0', at } } as InstanceEvent];
    spec.given(queued).when({ type: 'BeginProvisioning', host: 'a', now }).then([
      { type: 'InstanceProvisioningStarted', data: { image_version: '1.1.0', host: 'a', at } },
      { type: 'DeployStarted', data: { deploy_id: 'd1', at } },
    ]);
    const running = [...queued, { type: 'InstanceProvisioningStarted', data: { image_version: '1.1.0', at } } as InstanceEvent, { type: 'DeployStarted', data: { deploy_id: 'd1', at } } as InstanceEvent];
    spec.given(running).when({ type: 'ReportFailed', error: 'no', now }).then([
      { type: 'InstanceProvisioningFailed', data: { error: 'no', at } },
      { type: 'DeployFailed', data: { deploy_id: 'd1', error: 'no', at } },
    ]);
  });

  it('a stopped instance keeps its deploy queued until it starts', () => {
    const state = [...HISTORY.stopped, ...deployTo('d1', '1.1.0').slice(0, 1)].reduce(instanceDecider.evolve, instanceDecider.initialState());
    expect(state).toMatchObject({ status: 'stopped', pendingDeploy: 'd1', config: { image_version: '1.1.0' } });
  });

  it('rolls back to the previous succeeded version, or to a named succeeded deploy', () => {
    const deployed = [...HISTORY.running, ...deployTo('d1', '1.1.0')];
    spec.given(deployed).when({ type: 'Rollback', deployId: 'r1', now }).then([{ type: 'DeployRequested', data: { deploy_id: 'r1', image_version: '1.0.0', kind: 'rollback', from_version: '1.1.0', at } }]);
    const twice = [...deployed, ...deployTo('d2', '1.2.0')];
    spec.given(twice).when({ type: 'Rollback', deployId: 'r2', toDeployId: 'd1', now }).then([{ type: 'DeployRequested', data: { deploy_id: 'r2', image_version: '1.1.0', kind: 'rollback', from_version: '1.2.0', at } }]);
  });

  it('refuses a rollback with nothing to go back to, or to a deploy that never succeeded', () => {
    spec.given(HISTORY.running).when({ type: 'Rollback', deployId: 'r1', now }).thenThrows(InvalidStateError, /no earlier version/);
    const failedDeploy = [
      ...HISTORY.running,
      ...deployTo('d1', '1.1.0').slice(0, 3),
      { type: 'InstanceProvisioningFailed', data: { error: 'x', at } } as InstanceEvent,
      { type: 'DeployFailed', data: { deploy_id: 'd1', error: 'x', at } } as InstanceEvent,
    ];
    spec.given(failedDeploy).when({ type: 'Rollback', deployId: 'r1', toDeployId: 'd1', now }).thenThrows(InvalidStateError, /never succeeded/);
    spec.given(HISTORY.running).when({ type: 'Rollback', deployId: 'r1', toDeployId: 'nope', now }).thenThrows(NotFoundError);
  });

  it('never rolls back to a retired version: skips it when choosing, refuses it by name', () => {
    const three = [...HISTORY.running, ...deployTo('d1', '1.1.0'), ...deployTo('d2', '1.2.0')];
    spec.given(three).when({ type: 'Rollback', deployId: 'r1', retiredVersions: ['1.1.0'], now }).then([{ type: 'DeployRequested', data: { deploy_id: 'r1', image_version: '1.0.0', kind: 'rollback', from_version: '1.2.0', at } }]);
    spec.given(three).when({ type: 'Rollback', deployId: 'r1', retiredVersions: ['1.1.0', '1.0.0'], now }).thenThrows(InvalidStateError, /not retired/);
    spec.given(three).when({ type: 'Rollback', deployId: 'r1', toDeployId: 'd1', retiredVersions: ['1.1.0'], now }).thenThrows(ValidationError, /retired/);
  });

  it('changes env vars, restarting when asked', () => {
    spec.given(HISTORY.running).when({ type: 'ChangeEnv', set: { A: '1' }, unset: ['B'], restart: true, now }).then([
      { type: 'InstanceEnvChanged', data: { set: { A: '1' }, unset: ['B'], at } },
      { type: 'InstanceRestartRequested', data: { at } },
    ]);
    spec.given(HISTORY.stopped).when({ type: 'ChangeEnv', set: { A: '1' }, unset: [], restart: true, now }).then([{ type: 'InstanceEnvChanged', data: { set: { A: '1' }, unset: [], at } }]);
    const state = [...HISTORY.running, { type: 'InstanceEnvChanged', data: { set: { A: '1', B: '2' }, unset: [], at } } as InstanceEvent, { type: 'InstanceEnvChanged', data: { set: {}, unset: ['A'], at } } as InstanceEvent].reduce(instanceDecider.evolve, instanceDecider.initialState());
    expect(state.env).toEqual({ B: '2' });
  });

  it('closes a stream whose request never wrote it, so that request cannot come late; a written one stays', () => {
    const abandoned: InstanceEvent = { type: 'InstanceRequestAbandoned', data: { at } };
    spec.given([]).when({ type: 'Abandon', now }).then([abandoned]);
    spec.given([abandoned]).when({ type: 'Abandon', now }).then([]);
    spec.given(HISTORY.pending).when({ type: 'Abandon', now }).then([]);
    spec.given([abandoned]).when({ type: 'Request', instanceId: 'i1', workspaceId: 'w1', config, now }).thenThrows(ConflictError, /given up/);
    spec.given([abandoned]).when({ type: 'Stop', now }).thenThrows(NotFoundError);
  });

  it('records the host that runs it; a lost host is reported once, only for the host it runs on, and cleared when it returns', () => {
    const onA: InstanceEvent = { type: 'InstanceProvisioned', data: { endpoint: 'http://127.0.0.1:4000', image_version: '1.0.0', host: 'a', at } };
    const running = [requested, started, onA];
    expect(running.reduce(instanceDecider.evolve, instanceDecider.initialState())).toMatchObject({ host: 'a', hostLost: false });
    const lost: InstanceEvent = { type: 'InstanceHostLost', data: { host: 'a', at } };
    spec.given(running).when({ type: 'ReportHostLost', host: 'a', now }).then([lost]);
    spec.given([...running, lost]).when({ type: 'ReportHostLost', host: 'a', now }).then([]);
    spec.given(running).when({ type: 'ReportHostLost', host: 'b', now }).then([]);
    spec.given(HISTORY.stopped).when({ type: 'ReportHostLost', host: 'a', now }).then([]);
    spec.given([...running, lost]).when({ type: 'ReportHostReturned', host: 'a', now }).then([{ type: 'InstanceHostReturned', data: { host: 'a', at } }]);
    spec.given(running).when({ type: 'ReportHostReturned', host: 'a', now }).then([]);
  });

  it('request events name the host whose process they act on, so their jobs go to its queue; a stopped one has none', () => {
    const onA: InstanceEvent = { type: 'InstanceProvisioned', data: { endpoint: 'http://127.0.0.1:4000', image_version: '1.0.0', host: 'a', at } };
    const running = [requested, started, onA];
    spec.given(HISTORY.pending).when({ type: 'BeginProvisioning', host: 'b', now }).then([{ type: 'InstanceProvisioningStarted', data: { image_version: '1.0.0', host: 'b', at } }]);
    spec.given(running).when({ type: 'Stop', now }).then([{ type: 'InstanceStopRequested', data: { host: 'a', at } }]);
    spec.given(running).when({ type: 'Restart', now }).then([{ type: 'InstanceRestartRequested', data: { host: 'a', at } }]);
    spec.given(running).when({ type: 'Delete', now }).then([{ type: 'InstanceDeleteRequested', data: { host: 'a', at } }]);
    spec.given(running).when(COMMAND.deploy).then([{ type: 'DeployRequested', data: { deploy_id: 'd1', image_version: '1.1.0', kind: 'deploy', from_version: '1.0.0', host: 'a', at } }]);
    spec.given(running).when({ type: 'ChangeEnv', set: { A: '1' }, unset: [], restart: true, now }).then([
      { type: 'InstanceEnvChanged', data: { set: { A: '1' }, unset: [], at } },
      { type: 'InstanceRestartRequested', data: { host: 'a', at } },
    ]);
    spec.given(running).when({ type: 'ReportCrashed', error: 'gone', maxHeals: 1, now }).then([
      { type: 'InstanceCrashed', data: { error: 'gone', at } },
      { type: 'InstanceHealingStarted', data: { attempt: 1, max_attempts: 1, host: 'a', at } },
    ]);
    // Provisioning started on a host already ties it there, before it reports provisioned.
    const startedOnB: InstanceEvent = { type: 'InstanceProvisioningStarted', data: { image_version: '1.0.0', host: 'b', at } };
    spec.given([requested, startedOnB]).when({ type: 'Delete', now }).then([{ type: 'InstanceDeleteRequested', data: { host: 'b', at } }]);
    const stopped = [...running, { type: 'InstanceStopRequested', data: { host: 'a', at } } as InstanceEvent, { type: 'InstanceStopped', data: { at } } as InstanceEvent];
    spec.given(stopped).when({ type: 'Start', now }).then([{ type: 'InstanceStartRequested', data: { at } }]);
  });

  it('refuses to act on the process of an instance whose host is lost (409), but lets its data change; a crash its host reports clears it', () => {
    const onA: InstanceEvent = { type: 'InstanceProvisioned', data: { endpoint: 'http://127.0.0.1:4000', image_version: '1.0.0', host: 'a', at } };
    const lost = [requested, started, onA, { type: 'InstanceHostLost', data: { host: 'a', at } } as InstanceEvent];
    for (const command of [COMMAND.stop, COMMAND.restart, COMMAND.delete, COMMAND.deploy, { type: 'ChangeEnv', set: { A: '1' }, unset: [], restart: true, now } as InstanceCommand]) {
      spec.given(lost).when(command).thenThrows(HostLostError, /worker host a/);
    }
    spec.given(lost).when(COMMAND.change_env).then([{ type: 'InstanceEnvChanged', data: { set: { LOG_LEVEL: 'debug' }, unset: [], at } }]);
    spec.given(lost).when(COMMAND.reconfigure).then([{ type: 'InstanceReconfigured', data: { machine_type: 'large', at } }]);
    const crashedAfterReturn = [...lost, { type: 'InstanceCrashed', data: { error: 'gone', at } } as InstanceEvent];
    spec.given(crashedAfterReturn).when(COMMAND.restart).then([{ type: 'InstanceRestartRequested', data: { host: 'a', at } }]);
  });

  it('keeps secret values sealed and apart from clear ones; setting a name either way replaces it', () => {
    spec.given(HISTORY.running).when({ type: 'ChangeEnv', set: { A: '1' }, sealed: { KEY: 'sealed:v1:x:y:z' }, unset: [], restart: false, now }).then([
      { type: 'InstanceEnvChanged', data: { set: { A: '1' }, unset: [], sealed: { KEY: 'sealed:v1:x:y:z' }, at } },
    ]);
    // No `sealed` field when nothing is secret: events stay as they were.
    spec.given(HISTORY.running).when({ type: 'ChangeEnv', set: { A: '1' }, sealed: {}, unset: [], restart: false, now }).then([{ type: 'InstanceEnvChanged', data: { set: { A: '1' }, unset: [], at } }]);
    spec.given(HISTORY.running).when({ type: 'ChangeEnv', set: { KEY: '1' }, sealed: { KEY: 'sealed:v1:x:y:z' }, unset: [], restart: false, now }).thenThrows(InvalidStateError, /both secret and in clear/);
    spec.given(HISTORY.running).when({ type: 'ChangeEnv', set: {}, sealed: { LD_PRELOAD: 'sealed:v1:x:y:z' }, unset: [], restart: false, now }).thenThrows(ValidationError, /reserved/);
    const change = (data: { set: Record<string, string>; unset: string[]; sealed?: Record<string, string> }): InstanceEvent => ({ type: 'InstanceEnvChanged', data: { ...data, at } });
    const fold = (...events: InstanceEvent[]) => [...HISTORY.running, ...events].reduce(instanceDecider.evolve, instanceDecider.initialState());
    expect(fold(change({ set: { A: '1' }, unset: [] }), change({ set: {}, unset: [], sealed: { A: 's' } }))).toMatchObject({ env: {}, sealedEnv: { A: 's' } });
    expect(fold(change({ set: {}, unset: [], sealed: { A: 's' } }), change({ set: { A: '2' }, unset: [] }))).toMatchObject({ env: { A: '2' }, sealedEnv: {} });
    expect(fold(change({ set: { B: '1' }, unset: [], sealed: { A: 's' } }), change({ set: {}, unset: ['A', 'B'] }))).toMatchObject({ env: {}, sealedEnv: {} });
  });

  it('refuses to set a reserved name (it would run code on the host), but lets one be unset', () => {
    for (const name of ['NODE_OPTIONS', 'LD_PRELOAD', 'PATH', 'PORT', 'INSTANCE_ID', 'MEDIA_NODE_VERSION', 'DATABASE_URL']) {
      spec.given(HISTORY.running).when({ type: 'ChangeEnv', set: { [name]: 'x' }, unset: [], restart: false, now }).thenThrows(ValidationError, /reserved/);
    }
    spec.given(HISTORY.running).when({ type: 'ChangeEnv', set: {}, unset: ['NODE_OPTIONS'], restart: false, now }).then([{ type: 'InstanceEnvChanged', data: { set: {}, unset: ['NODE_OPTIONS'], at } }]);
    spec.given(HISTORY.running).when({ type: 'ChangeEnv', set: { NODE_ENV: 'production', TZ: 'UTC' }, unset: [], restart: false, now }).thenThrows(ValidationError, /reserved/);
  });
});
