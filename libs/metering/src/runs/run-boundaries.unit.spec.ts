import { INSTANCE_RUNS, RUN_EVENT_TYPES } from './run-boundaries';

describe('run boundaries of a cancelled deploy', () => {
  const cancelled = INSTANCE_RUNS.DeployCancelled as (data: { status: string }) => string | null;

  it('starts a run again when the cancel gives a running instance its status back, and nothing otherwise', () => {
    expect(cancelled({ status: 'running' })).toBe('start');
    expect(cancelled({ status: 'pending' })).toBeNull();
    expect(cancelled({ status: 'stopped' })).toBeNull();
  });

  it('is among the event types the tracker reads', () => {
    expect(RUN_EVENT_TYPES).toContain('DeployCancelled');
    expect(RUN_EVENT_TYPES).not.toContain('DeployCompleted');
  });
});
