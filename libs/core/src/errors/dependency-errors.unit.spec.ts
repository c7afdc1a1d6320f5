import { unavailableDependency } from './dependency-errors';
import { toProblem } from './problem';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('unavailableDependency', () => {
  it.each([
    [new Error('Connection terminated unexpectedly'), 'postgres'],
    [withCode('terminating connection due to administrator command', '57P01'), 'postgres'],
    [withCode('the database system is starting up', '57P03'), 'postgres'],
    [new Error('timeout exceeded when trying to connect'), 'postgres'],
    [Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }), 'redis'],
    [new Error('Connection is closed.'), 'redis'],
    [withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'network'],
    [new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''), 'network'],
  ])('recognises %p as an outage of %s', (error, dependency) => {
    expect(unavailableDependency(error)).toBe(dependency);
  });

  it.each([
    [new TypeError('x is not a function')],
    [withCode('duplicate key value violates unique constraint', '23505')],
    [withCode('syntax error', '42601')],
    [withCode('bind message supplies 7 parameters, but prepared statement "" requires 6', '08P01')],
    ['a string'],
    [null],
  ])(
    'does not take %p for an outage',
    (error) => {
      expect(unavailableDependency(error)).toBeUndefined();
    },
  );

  it('makes a query the server refuses as malformed a 500, not an outage', () => {
    expect(toProblem(withCode('bind message supplies 7 parameters, but prepared statement "" requires 6', '08P01'))).toMatchObject({ status: 500, code: 'internal_error' });
    expect(unavailableDependency(withCode('connection failure', '08006'))).toBe('postgres');
  });

  it('makes an outage a 503 that names the dependency, not a 500', () => {
    expect(toProblem(withCode('terminating connection', '57P01'))).toMatchObject({ status: 503, code: 'dependency_unavailable', detail: expect.stringContaining('database') });
  });
});
