import { ExpectedRevision } from './event-store';

export function describeRevision(revision: ExpectedRevision | bigint | 'none'): string {
  return typeof revision === 'bigint' ? revision.toString() : revision;
}

/** The stream was not at the revision the writer expected: someone else wrote first. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or 'none' when it has no events. */
    readonly actual: bigint | 'none',
  ) {
    super(`stream ${streamId} is at revision ${describeRevision(actual)}, expected ${describeRevision(expected)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** Some of the appended event ids are already stored, but not as this exact append. */
export class EventIdConflictError extends Error {
  constructor(readonly streamId: string, readonly eventIds: string[]) {
    super(`event ids already stored elsewhere: ${eventIds.join(', ')} (append to ${streamId})`);
    this.name = 'EventIdConflictError';
  }
}
