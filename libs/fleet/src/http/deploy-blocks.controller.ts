import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ConsistencyService, NotFoundError, objectSchema, ReadModels } from '@streamplane/core';
import { CurrentWorkspace, RequireRole, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { LiftDeployBlock, PlaceDeployBlock } from '../commands/deploy-block-commands';
import { DeployBlockDirectory } from '../queries/deploy-block-directory';
import { DeployBlockResponse, PlaceDeployBlockBody } from './deploy-block.dto';

/** Deploy freezes (Tsuru's event blocks): while one holds, deploys, rollbacks and cluster image changes answer 409. */
@ApiTags('deploys')
@ApiExtraModels(DeployBlockResponse)
@ReadModels('fleet')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/deploy-blocks')
export class DeployBlocksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly blocks: DeployBlockDirectory,
    private readonly consistency: ConsistencyService,
  ) {}

  @Post()
  @RequireRole('admin')
  @ApiCreatedResponse({ type: DeployBlockResponse })
  async place(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: PlaceDeployBlockBody) {
    const { id } = await this.commands.execute(new PlaceDeployBlock(workspace.id, body.cluster_id ?? null, body.reason));
    // Once answered, the freeze is in the read model every deploy checks.
    await this.consistency.waitForOwnWrites(['fleet']);
    return this.read(workspace.id, id);
  }

  @Get()
  @ApiOkResponse({ schema: objectSchema({ items: { type: 'array', items: { $ref: getSchemaPath(DeployBlockResponse) } } }), description: 'the freezes that hold, oldest first' })
  async list(@CurrentWorkspace() workspace: WorkspaceAccess) {
    return { items: await this.blocks.list(workspace.id) };
  }

  @Get(':block_id')
  @ApiOkResponse({ type: DeployBlockResponse })
  get(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('block_id', ParseUUIDPipe) blockId: string) {
    return this.read(workspace.id, blockId);
  }

  @Delete(':block_id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiNoContentResponse({ description: 'lifted: deploys go through again' })
  async lift(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('block_id', ParseUUIDPipe) blockId: string) {
    await this.commands.execute(new LiftDeployBlock(workspace.id, blockId));
  }

  private async read(workspaceId: string, blockId: string) {
    const block = await this.blocks.get(workspaceId, blockId);
    if (!block) throw new NotFoundError('no such deploy block');
    return block;
  }
}
