import { Injectable } from '@nestjs/common';
import { EventConsumer, Projection } from './event-consumer';

/** Every projection and reactor of the product; contexts add theirs when their module starts. */
@Injectable()
export class ConsumerRegistry {
  private readonly consumers = new Map<string, EventConsumer>();

  add(...consumers: EventConsumer[]): void {
    for (const consumer of consumers) {
      if (this.consumers.has(consumer.name)) throw new Error(`two consumers are named ${consumer.name}`);
      this.consumers.set(consumer.name, consumer);
    }
  }

  all(): EventConsumer[] {
    return [...this.consumers.values()];
  }

  get(name: string): EventConsumer | undefined {
    return this.consumers.get(name);
  }

  /** Projections and reactors of these contexts (all when none given). */
  ofContexts(contexts?: readonly string[]): EventConsumer[] {
    return this.all().filter((c) => !contexts || contexts.includes(c.context));
  }

  projections(contexts?: readonly string[]): Projection[] {
    return this.all().filter((c): c is Projection => c.kind === 'projection' && (!contexts || contexts.includes(c.context)));
  }
}
