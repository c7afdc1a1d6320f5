import { Injectable } from '@nestjs/common';

/** What a consumer runner of this process is doing now, for /v1/health and the admin views. */
export type RunnerState = 'following' | 'retrying' | 'parked' | 'stopped';

export interface RunnerStatus {
  state: RunnerState;
  since: Date;
  /** The error that made it retry or park. */
  error?: string;
  attempts?: number;
}

/** The consumer runners of this process report here; health reads it without a query. */
@Injectable()
export class ConsumerStatusBoard {
  private readonly statuses = new Map<string, RunnerStatus>();

  report(consumer: string, state: RunnerState, error?: string, attempts?: number): void {
    const previous = this.statuses.get(consumer);
    const since = previous?.state === state ? previous.since : new Date();
    this.statuses.set(consumer, { state, since, ...(error === undefined ? {} : { error }), ...(attempts === undefined ? {} : { attempts }) });
  }

  all(): Map<string, RunnerStatus> {
    return new Map(this.statuses);
  }
}
