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

export class RedeliverDelivery extends Command<{ delivery_id: string }> {
  constructor(
    readonly workspaceId: string,
    readonly webhookId: string,
    readonly deliveryId: string,
  ) {
    super();
  }
}

/** Sends a finished delivery again (as its next attempt): the reactor turns the request into the job. */
@CommandHandler(RedeliverDelivery)
export class RedeliverDeliveryHandler implements ICommandHandler<RedeliverDelivery> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ workspaceId, webhookId, deliveryId }: RedeliverDelivery) {
    await this.pipeline.decide(deliveries, deliveryId, { type: 'Redeliver', webhookId }, { workspaceId });
    return { delivery_id: deliveryId };
  }
}
