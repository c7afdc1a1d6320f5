import { Injectable } from '@nestjs/common';
import { Job } from 'bullmq';

export interface JobProcessor {
  queue: string;
  concurrency: number;
  /** Must be idempotent: BullMQ delivers at least once. Use runJobCommands for commands. */
  process(job: Job): Promise<unknown>;
}

/** The job processors of every context; the worker role runs one BullMQ Worker per entry. */
@Injectable()
export class ProcessorRegistry {
  private readonly processors: JobProcessor[] = [];

  add(...processors: JobProcessor[]): void {
    this.processors.push(...processors);
  }

  all(): JobProcessor[] {
    return [...this.processors];
  }
}
