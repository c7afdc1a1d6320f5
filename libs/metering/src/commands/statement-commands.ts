import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline } from '@streamplane/core';
import { statements } from '../domain/statement.decider';
import { IssuedStatement } from '../domain/statement.events';
import { statementIdOf } from '../queries/billing-statements';

/** Freezes a month's statement as read from the usage read model. */
export class IssueStatement extends Command<{ id: string; issued: boolean }> {
  constructor(readonly statement: IssuedStatement) {
    super();
  }
}

@CommandHandler(IssueStatement)
export class IssueStatementHandler implements ICommandHandler<IssueStatement> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ statement }: IssueStatement): Promise<{ id: string; issued: boolean }> {
    const id = statementIdOf(statement.workspace_id, statement.month);
    const start = new Date(`${statement.month}-01T00:00:00.000Z`);
    const monthEnd = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    const outcome = await this.pipeline.decide(statements, id, { type: 'IssueStatement', statement, monthEnd }, { workspaceId: statement.workspace_id });
    return { id, issued: outcome.events.length > 0 };
  }
}
