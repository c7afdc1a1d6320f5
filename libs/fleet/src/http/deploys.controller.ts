import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, ConsistencyService, NotFoundError, PageQuery, ReadModels } from '@streamplane/core';
import { CurrentWorkspace, RequireRole, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { CancelDeployRequest } from '../commands/cancel-deploy';
import { DeployDirectory } from '../queries/deploy-directory';
import { CancelDeployBody, DeployDetailResponse, DeployListQuery, DeployRecordResponse } from './deploy.dto';

/** Every deploy of the workspace, whatever its instance (Tsuru's deploy list), and canceling one. */
@ApiTags('deploys')
@ReadModels('fleet')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/deploys')
export class DeploysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly deploys: DeployDirectory,
    private readonly consistency: ConsistencyService,
  ) {}

  @Get()
  @ApiPageResponse(DeployRecordResponse, 'deploys, rollbacks and rollouts of every instance, newest first')
  async list(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: DeployListQuery) {
    const { page, pageSize, offset } = PageQuery.resolve(query);
    const filters = { clusterId: query.cluster_id, instanceId: query.instance_id, status: query.status, imageVersion: query.image_version };
    const { items, total } = await this.deploys.list(workspace.id, filters, pageSize, offset);
    return { items, page, page_size: pageSize, total };
  }

  @Get(':deploy_id')
  @ApiOkResponse({ type: DeployDetailResponse })
  get(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('deploy_id', ParseUUIDPipe) deployId: string) {
    return this.read(workspace.id, deployId);
  }

  @Post(':deploy_id/cancel')
  @HttpCode(202)
  @RequireRole('member')
  @ApiAcceptedResponse({ type: DeployDetailResponse, description: '`cancelled`; a running deploy’s instance then goes back to the version it had' })
  @ApiBadRequestResponse({ description: 'the deploy has already finished, or `reason` is missing' })
  async cancel(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('deploy_id', ParseUUIDPipe) deployId: string, @Body() body: CancelDeployBody) {
    await this.commands.execute(new CancelDeployRequest(workspace.id, deployId, body.reason));
    await this.consistency.waitForOwnWrites(['fleet']);
    return this.read(workspace.id, deployId);
  }

  private async read(workspaceId: string, deployId: string) {
    const deploy = await this.deploys.get(workspaceId, deployId);
    if (!deploy) throw new NotFoundError('no such deploy');
    return deploy;
  }
}
