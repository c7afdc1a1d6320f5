import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline } from '@streamplane/core';
import { deliveries } from '../domain/delivery.decider';
import { DeliveryAttempt } from '../domain/delivery.events';

/** Records one delivery attempt on the delivery's stream (nothing when that attempt is already there). */
export class RecordDeliveryAttempt extends Command<{ recorded: boolean }> {
  constructor(readonly attempt: DeliveryAttempt) {
    super();
  }
}

@CommandHandler(RecordDeliveryAttempt)
export class RecordDeliveryAttemptHandler implements ICommandHandler<RecordDeliveryAttempt> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ attempt }: RecordDeliveryAttempt) {
    const { events } = await this.pipeline.decide(deliveries, attempt.delivery_id, { type: 'RecordAttempt', attempt }, { workspaceId: attempt.workspace_id });
    return { recorded: events.length > 0 };
  }
}
