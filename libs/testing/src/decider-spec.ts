import { Decider, DomainEvent } from '@streamplane/core';

/**
 * Given / When / Then for pure deciders:
 *   spec(decider).given([opened]).when(increment).then([incremented])
 *   spec(decider).given([closed]).when(increment).thenThrows(InvalidStateError)
 */
export function deciderSpec<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given(history: E[]) {
      return {
        when(command: C) {
          const run = () => decider.decide(command, history.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(errorType: new (...args: never[]) => Error, message?: string | RegExp) {
              expect(run).toThrow(errorType);
              if (message) expect(run).toThrow(message);
            },
          };
        },
      };
    },
  };
}
