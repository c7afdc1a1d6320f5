import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ConsistencyService, NotFoundError, ReadModels } from '@streamplane/core';
import { CurrentWorkspace, RequireRole, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { MarkNoRollback } from '../commands/rollback-rules';
import { ClusterDirectory } from '../queries/cluster-directory';
import { ClusterResponse } from './cluster.dto';

export class NoRollbackBody {
  @ApiProperty({ minLength: 1, maxLength: 1000, description: 'why; shown in the 400 a rollback to it gets' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

/**
 * Tsuru's "rollback update" (`PUT /apps/{app}/deploy/rollback/update {image, disable, reason}`),
 * per cluster: a marked version may still be deployed, but no rollback goes back to it.
 */
@ApiTags('clusters')
@ReadModels('fleet')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/clusters/:cluster_id/versions/:image_version/no-rollback')
export class RollbackRulesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly clusters: ClusterDirectory,
    private readonly consistency: ConsistencyService,
  ) {}

  @Post()
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOkResponse({ type: ClusterResponse, description: 'the cluster, the version in its `no_rollback` with the reason' })
  @ApiBadRequestResponse({ description: 'a version not in the catalog, or no reason' })
  async mark(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('cluster_id', ParseUUIDPipe) clusterId: string, @Param('image_version') imageVersion: string, @Body() body: NoRollbackBody) {
    await this.commands.execute(new MarkNoRollback(workspace.id, clusterId, imageVersion, body.reason));
    await this.consistency.waitForOwnWrites(['fleet']);
    const cluster = await this.clusters.get(workspace.id, clusterId);
    if (!cluster) throw new NotFoundError('no such cluster');
    return cluster;
  }

  @Delete()
  @HttpCode(204)
  @RequireRole('admin')
  @ApiNoContentResponse({ description: 'rollbacks may go back to the version again' })
  @ApiNotFoundResponse({ description: 'the version is not marked, or no such cluster' })
  async unmark(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('cluster_id', ParseUUIDPipe) clusterId: string, @Param('image_version') imageVersion: string) {
    await this.commands.execute(new MarkNoRollback(workspace.id, clusterId, imageVersion, null));
  }
}
