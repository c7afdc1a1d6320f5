import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline } from '@streamplane/core';
import { AuditExportCommand, auditExports } from '../domain/audit-export.decider';

/** Records an export once it has ended: who asked, for what, and how many events were sent. */
export class RecordExport extends Command<void> {
  constructor(readonly change: Omit<AuditExportCommand, 'type' | 'now'>) {
    super();
  }
}

@CommandHandler(RecordExport)
export class RecordExportHandler implements ICommandHandler<RecordExport> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ change }: RecordExport): Promise<void> {
    await this.pipeline.decide(auditExports, change.exportId, { type: 'Record', ...change }, { workspaceId: change.workspaceId });
  }
}
