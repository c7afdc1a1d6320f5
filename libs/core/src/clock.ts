/** Time comes from here, never from `new Date()` in domain code, so tests can pin it. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };
