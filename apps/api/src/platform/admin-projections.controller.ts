import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CheckpointStore, ConsistencyService, NotFoundError, objectSchema } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { PlatformAdmin } from '@streamplane/identity';

const PROJECTION_STATUS = objectSchema({
  name: { type: 'string' },
  kind: { type: 'string', enum: ['projection', 'reactor'] },
  state: { type: 'string', enum: ['live', 'rebuilding', 'parked'] },
  position: { type: 'string', description: 'log position reached (a decimal string: positions outgrow JSON numbers)' },
  head_position: { type: 'string' },
  caught_up: { type: 'boolean' },
  lag_seconds: { type: 'number' },
  error: { type: 'string', nullable: true },
  failed_position: { type: 'string', nullable: true },
  updated_at: { type: 'string', format: 'date-time' },
});

@ApiTags('admin')
@PlatformAdmin()
@Controller('v1/admin/projections')
export class AdminProjectionsController {
  constructor(
    private readonly checkpoints: CheckpointStore,
    private readonly consistency: ConsistencyService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @ApiOkResponse({
    description: 'each projection and reactor: checkpoint, lag and state (`live`, `rebuilding`, `parked` with its error)',
    schema: objectSchema({ items: { type: 'array', items: PROJECTION_STATUS } }),
  })
  async list() {
    const head = await this.store.headPosition();
    const now = Date.now();
    const items = (await this.checkpoints.list()).map((c) => ({
      name: c.name,
      kind: c.kind,
      state: c.state,
      position: c.position.toString(),
      head_position: head.toString(),
      caught_up: c.position >= head,
      lag_seconds: c.position >= head || !c.lastEventAt ? 0 : Math.max(0, (now - c.lastEventAt.getTime()) / 1000),
      error: c.error,
      failed_position: c.failedPosition?.toString() ?? null,
      updated_at: c.updatedAt.toISOString(),
    }));
    return { items };
  }

  @Post(':name/resume')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'a parked projection goes live again and retries the event it stopped at',
    schema: objectSchema({ name: { type: 'string' }, state: { type: 'string', enum: ['live'] } }),
  })
  async resume(@Param('name') name: string) {
    // Consumer names are plain words; anything else (NULs included, which PostgreSQL refuses) names none.
    if (!/^[\w.-]{1,200}$/.test(name) || !(await this.checkpoints.resume(name))) throw new NotFoundError(`no parked projection named ${name}`);
    this.consistency.forgetLocal(name);
    this.consistency.wakeUp.poke();
    return { name, state: 'live' };
  }
}
