import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, AsOfQuery, ConsistencyService, NotFoundError, PageQuery, ReadModels, ValidationError } from '@streamplane/core';
import { CurrentWorkspace, RequireRole, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { CreateCluster, DeleteCluster, UpdateCluster } from '../commands/cluster-commands';
import { ClusterDirectory, ClusterView } from '../queries/cluster-directory';
import { FleetAsOf } from '../queries/fleet-as-of';
import { ClusterResponse, CreateClusterBody, UpdateClusterBody } from './cluster.dto';

@ApiTags('clusters')
@ReadModels('fleet')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/clusters')
export class ClustersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly clusters: ClusterDirectory,
    private readonly consistency: ConsistencyService,
    private readonly asOf: FleetAsOf,
  ) {}

  @Post()
  @RequireRole('admin')
  @ApiCreatedResponse({ type: ClusterResponse })
  @ApiBadRequestResponse({ description: 'a field is invalid, or image_version is not in the catalog' })
  async create(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: CreateClusterBody) {
    const { id } = await this.commands.execute(new CreateCluster(workspace.id, body.name, body.image_version, body.token ?? null));
    return this.afterWrite(workspace.id, id);
  }

  @Get()
  @ApiPageResponse(ClusterResponse, 'the workspace’s clusters, oldest first')
  async list(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: PageQuery) {
    const { page, pageSize, offset } = PageQuery.resolve(query);
    const { items, total } = await this.clusters.list(workspace.id, pageSize, offset);
    return { items, page, page_size: pageSize, total };
  }

  @Get(':cluster_id')
  @ApiOkResponse({ type: ClusterResponse, description: 'the cluster now, or with `as_of`/`as_of_position` as it was then' })
  @ApiBadRequestResponse({ description: 'an unparsable as_of or as_of_position, or both given' })
  async get(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('cluster_id', ParseUUIDPipe) clusterId: string, @Query() query: AsOfQuery) {
    const point = AsOfQuery.pointOf(query);
    return found(point ? await this.asOf.cluster(workspace.id, clusterId, point) : await this.clusters.get(workspace.id, clusterId));
  }

  @Patch(':cluster_id')
  @RequireRole('admin')
  @ApiOkResponse({ type: ClusterResponse })
  @ApiBadRequestResponse({ description: 'nothing to change, an unknown image_version, or an instance in a state that cannot be reconfigured' })
  async update(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('cluster_id', ParseUUIDPipe) clusterId: string, @Body() body: UpdateClusterBody) {
    if (body.name === undefined && body.image_version === undefined && body.token === undefined) {
      throw new ValidationError('nothing to change', [{ field: 'body', message: 'give name, image_version or token' }]);
    }
    await this.commands.execute(new UpdateCluster(workspace.id, clusterId, { name: body.name, imageVersion: body.image_version, token: body.token }));
    return this.afterWrite(workspace.id, clusterId);
  }

  @Delete(':cluster_id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiBadRequestResponse({ description: 'it still has instances that are not archived' })
  async delete(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('cluster_id', ParseUUIDPipe) clusterId: string) {
    await this.commands.execute(new DeleteCluster(workspace.id, clusterId));
  }

  private async afterWrite(workspaceId: string, clusterId: string): Promise<ClusterView> {
    await this.consistency.waitForOwnWrites(['fleet']);
    return found(await this.clusters.get(workspaceId, clusterId));
  }
}

function found(view: ClusterView | undefined): ClusterView {
  if (!view) throw new NotFoundError('no such cluster');
  return view;
}
