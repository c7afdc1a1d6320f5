import { NotFoundException } from '@nestjs/common';
import { WrongExpectedRevisionError } from '@streamplane/eventstore';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../domain/domain-errors';
import { toProblem } from './problem';

describe('toProblem', () => {
  it.each([
    [new NotFoundError('x'), 404, 'not_found'],
    [new InvalidStateError('x'), 400, 'invalid_state'],
    [new ConflictError('x'), 409, 'conflict'],
    [new ForbiddenError('x'), 403, 'forbidden'],
    [new WrongExpectedRevisionError('s', 1n, 2n), 409, 'conflict'],
    [new NotFoundException(), 404, 'not_found'],
  ])('maps %p to %i', (error, status, code) => {
    expect(toProblem(error)).toMatchObject({ status, code, type: `/problems/${code}` });
  });

  it('keeps field errors', () => {
    expect(toProblem(new ValidationError('bad', [{ field: 'name', message: 'too long' }])).errors).toEqual([{ field: 'name', message: 'too long' }]);
  });

  it('hides the details of an unexpected error', () => {
    const problem = toProblem(new TypeError('secret internals'));
    expect(problem).toMatchObject({ status: 500, code: 'internal_error' });
    expect(JSON.stringify(problem)).not.toContain('secret');
  });
});
