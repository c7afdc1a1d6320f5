import { NotFoundError } from './domain-errors';
import { Decider, DomainEvent } from './decider';

/**
 * The same decider, refusing an entity of another workspace as if it did not exist: a foreign id
 * is a 404 at the source of truth, not only in the read models.
 */
export function workspaceScoped<C, E extends DomainEvent, S extends { workspaceId?: string }>(decider: Decider<C, E, S>, workspaceId: string, what: string): Decider<C, E, S> {
  return {
    ...decider,
    decide: (command, state) => {
      if (state.workspaceId !== undefined && state.workspaceId !== workspaceId) throw new NotFoundError(`no such ${what}`);
      return decider.decide(command, state);
    },
  };
}
