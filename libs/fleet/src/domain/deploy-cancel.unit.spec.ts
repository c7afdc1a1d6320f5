import { InvalidStateError, NotFoundError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { instanceDecider } from './instance.decider';
import { InstanceEvent } from './instance.events';

const now = new Date('2026-11-27T10:00:00.000Z');
const at = now.toISOString();
const config = { cluster_id: 'c1', name: 'edge-1', machine_type: 'xsmall', location: 'eu_central', routing_key: null, image_version: '1.0.0' };
const running: InstanceEvent[] = [
  { type: 'InstanceRequested', data: { instance_id: 'i1', workspace_id: 'w1', ...config, at } },
  { type: 'InstanceProvisioningStarted', data: { image_version: '1.0.0', host: 'a', at } },
  { type: 'InstanceProvisioned', data: { endpoint: 'http://127.0.0.1:4000', image_version: '1.0.0', host: 'a', at } },
];
const requested: InstanceEvent = { type: 'DeployRequested', data: { deploy_id: 'd1', image_version: '1.1.0', kind: 'deploy', from_version: '1.0.0', host: 'a', at } };
const started: InstanceEvent[] = [
  { type: 'InstanceProvisioningStarted', data: { image_version: '1.1.0', host: 'a', at } },
  { type: 'DeployStarted', data: { deploy_id: 'd1', at } },
];
const stopped: InstanceEvent[] = [...running, { type: 'InstanceStopRequested', data: { host: 'a', at } }, { type: 'InstanceStopped', data: { at } }];
const cancel = { type: 'CancelDeploy' as const, deployId: 'd1', reason: 'wrong build', now };
const cancelled = (phase: 'queued' | 'running', status: string): InstanceEvent[] => [
  { type: 'DeployCancelled', data: { deploy_id: 'd1', reason: 'wrong build', phase, status, image_version: '1.0.0', at } },
];
const fold = (events: InstanceEvent[]) => events.reduce(instanceDecider.evolve, instanceDecider.initialState());

describe('instance decider: canceling a deploy', () => {
  const spec = deciderSpec(instanceDecider);

  it('gives a queued deploy’s instance back the status it had, with its version', () => {
    spec.given([...running, requested]).when(cancel).then(cancelled('queued', 'running'));
    const after = fold([...running, requested, ...cancelled('queued', 'running')]);
    expect(after).toMatchObject({ status: 'running', pendingDeploy: null, config: { image_version: '1.0.0' } });
    // The queued job, when it runs, finds nothing to provision.
    spec.given([...running, requested, ...cancelled('queued', 'running')]).when({ type: 'BeginProvisioning', host: 'a', now }).thenThrows(InvalidStateError);
  });

  it('leaves a stopped instance stopped, and one started since pending (it starts with the old version)', () => {
    spec.given([...stopped, requested]).when(cancel).then(cancelled('queued', 'stopped'));
    const startedSince = [...stopped, requested, { type: 'InstanceStartRequested', data: { at } } as InstanceEvent];
    spec.given(startedSince).when(cancel).then(cancelled('queued', 'pending'));
  });

  it('sends a running deploy’s instance back to pending, so the job brings the previous version up and its report of the cancelled one is moot', () => {
    const history = [...running, requested, ...started];
    spec.given(history).when(cancel).then(cancelled('running', 'pending'));
    const after = [...history, ...cancelled('running', 'pending')];
    spec.given(after).when({ type: 'ReportProvisioned', endpoint: 'http://127.0.0.1:4001', host: 'a', now }).then([]);
    spec.given(after).when({ type: 'ReportFailed', error: 'boom', now }).then([]);
    // The next provisioning carries no deploy: the cancelled one never completes.
    spec.given(after).when({ type: 'BeginProvisioning', host: 'a', now }).then([{ type: 'InstanceProvisioningStarted', data: { image_version: '1.0.0', host: 'a', at } }]);
  });

  it('refuses a finished deploy (400) and an unknown one (404)', () => {
    const done = [...running, requested, ...started, { type: 'InstanceProvisioned', data: { endpoint: 'e', image_version: '1.1.0', host: 'a', at } } as InstanceEvent, { type: 'DeployCompleted', data: { deploy_id: 'd1', at } } as InstanceEvent];
    spec.given(done).when(cancel).thenThrows(InvalidStateError, /already finished/);
    spec.given([...running, requested, ...cancelled('queued', 'running')]).when(cancel).thenThrows(InvalidStateError, /already finished/);
    spec.given(running).when(cancel).thenThrows(NotFoundError);
    spec.given([]).when(cancel).thenThrows(NotFoundError);
  });

  it('counts a queued deploy a newer one replaced as finished', () => {
    const second: InstanceEvent = { type: 'DeployRequested', data: { deploy_id: 'd2', image_version: '1.2.0', kind: 'deploy', from_version: '1.1.0', at } };
    spec.given([...stopped, requested, second]).when(cancel).thenThrows(InvalidStateError);
  });
});
