import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { CheckpointStore } from './checkpoint-store';
import { ConsumerRegistry } from './consumer-registry';
import { ConsumerStatusBoard } from './consumer-status';

/** A consumer further behind the log than this is not healthy. */
export const MAX_HEALTHY_LAG_MS = 30_000;

export interface ConsumerProblem {
  name: string;
  problem: 'parked' | 'retrying' | 'stopped' | 'lagging';
  error?: string;
  lag_seconds?: number;
}

export interface ConsumersHealth {
  ok: boolean;
  count: number;
  problems: ConsumerProblem[];
}

/**
 * Whether every projection and reactor is doing its job: none parked, none failing in this
 * process, none more than 30 s behind the log. Lag is measured as the age of the oldest event a
 * consumer has not handled yet, so an idle system is never "behind", and a projector process
 * that died shows up as soon as anything is written.
 */
@Injectable()
export class ConsumerHealth {
  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly checkpoints: CheckpointStore,
    private readonly statuses: ConsumerStatusBoard,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async check(now = new Date()): Promise<ConsumersHealth> {
    const problems: ConsumerProblem[] = [];
    for (const [name, status] of this.statuses.all()) {
      if (status.state === 'retrying' || status.state === 'stopped') problems.push({ name, problem: status.state, ...(status.error ? { error: status.error } : {}) });
    }
    const checkpoints = new Map((await this.checkpoints.list()).map((c) => [c.name, c]));
    const head = await this.store.headPosition();
    const oldestUnhandled = new Map<bigint, Date | undefined>();
    for (const consumer of this.registry.all()) {
      const checkpoint = checkpoints.get(consumer.name);
      if (checkpoint?.state === 'parked') {
        problems.push({ name: consumer.name, problem: 'parked', ...(checkpoint.error ? { error: checkpoint.error } : {}) });
        continue;
      }
      // No checkpoint yet: it has read nothing, and is behind by everything there is.
      const position = checkpoint?.position ?? 0n;
      if (position >= head) continue;
      if (!oldestUnhandled.has(position)) oldestUnhandled.set(position, await this.firstEventAfter(position));
      const waiting = oldestUnhandled.get(position);
      const lagMs = waiting ? now.getTime() - waiting.getTime() : 0;
      if (lagMs > MAX_HEALTHY_LAG_MS) problems.push({ name: consumer.name, problem: 'lagging', lag_seconds: Math.round(lagMs / 1000) });
    }
    return { ok: problems.length === 0, count: this.registry.all().length, problems };
  }

  private async firstEventAfter(position: bigint): Promise<Date | undefined> {
    for await (const event of this.store.readAll({ after: position, maxCount: 1 })) return event.recordedAt;
    return undefined;
  }
}
