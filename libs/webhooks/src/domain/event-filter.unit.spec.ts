import { isErrorEvent, matchesFilter } from './event-filter';

const crashed = { type: 'InstanceCrashed', target: { type: 'instance', id: 'i-1' }, data: { error: 'exit 137' } };
const created = { type: 'StreamCreated', target: { type: 'stream', id: 's-1' }, data: {} };

describe('event filters', () => {
  it('an empty filter passes every event', () => {
    expect(matchesFilter({}, crashed)).toBe(true);
    expect(matchesFilter({ types: [], target_ids: [] }, created)).toBe(true);
  });

  it('every list given must hold the event’s value', () => {
    expect(matchesFilter({ types: ['InstanceCrashed', 'DeployFailed'] }, crashed)).toBe(true);
    expect(matchesFilter({ types: ['InstanceCrashed'] }, created)).toBe(false);
    expect(matchesFilter({ target_types: ['stream'] }, created)).toBe(true);
    expect(matchesFilter({ target_types: ['stream'], target_ids: ['s-2'] }, created)).toBe(false);
    expect(matchesFilter({ target_types: ['instance'], target_ids: ['i-1'], types: ['InstanceCrashed'] }, crashed)).toBe(true);
  });

  it('error_only keeps failures: a failing type or an error in the data', () => {
    expect(matchesFilter({ error_only: true }, crashed)).toBe(true);
    expect(matchesFilter({ error_only: true }, created)).toBe(false);
    expect(isErrorEvent({ type: 'StreamHandlerLost', data: {} })).toBe(true);
    expect(isErrorEvent({ type: 'SomethingHappened', data: { error: 'boom' } })).toBe(true);
    expect(isErrorEvent({ type: 'SomethingHappened', data: { error: null } })).toBe(false);
  });
});
