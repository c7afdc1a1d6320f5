import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, Untimed } from '@streamplane/core';
import { catalog, CatalogCommand } from '../domain/catalog.decider';
import { CATALOG_ID } from '../domain/catalog.events';

/** What a platform admin may do to the catalog (seeding is the start's, not theirs). */
export type CatalogChange = Untimed<Exclude<CatalogCommand, { type: 'Seed' }>>;

export class ChangeCatalog extends Command<{ version: number }> {
  constructor(readonly change: CatalogChange) {
    super();
  }
}

/** Publish or retire a version or a machine type; the next check in any process reads it from the log. */
@CommandHandler(ChangeCatalog)
export class ChangeCatalogHandler implements ICommandHandler<ChangeCatalog> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ change }: ChangeCatalog) {
    const { version } = await this.pipeline.decide(catalog, CATALOG_ID, change);
    return { version };
  }
}
