import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { ApiPageResponse, AsOfQuery, ConsistencyService, NotFoundError, objectSchema, ReadModels, ValidationError } from '@streamplane/core';
import { CurrentWorkspace, RequireRole, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { FleetCatalog } from '../catalog/fleet-catalog';
import { ChangeInstance, InstanceChange, ReconfigureInstance, RequestInstance } from '../commands/instance-commands';
import { InstanceLabels } from '../domain/instance.decider';
import { FleetAsOf } from '../queries/fleet-as-of';
import { InstanceDirectory, InstanceView } from '../queries/instance-directory';
import { CreateInstanceBody, InstanceListQuery, InstanceResponse, UpdateInstanceBody } from './instance.dto';

const ACTIONS = {
  stop: { type: 'Stop' },
  start: { type: 'Start' },
  restart: { type: 'Restart' },
} satisfies Record<string, InstanceChange>;

@ApiTags('instances')
@ReadModels('fleet')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/instances')
export class InstancesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly instances: InstanceDirectory,
    private readonly consistency: ConsistencyService,
    private readonly catalog: FleetCatalog,
    private readonly asOf: FleetAsOf,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireRole('member')
  @ApiAcceptedResponse({ type: InstanceResponse, description: 'requested: `pending`, then a deploy job brings it up' })
  @ApiForbiddenResponse({ description: "over the workspace's instance limit" })
  @ApiConflictResponse({ description: 'the routing key is taken' })
  async create(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: CreateInstanceBody) {
    const { id } = await this.commands.execute(
      new RequestInstance(workspace.id, {
        clusterId: body.cluster_id,
        machineType: body.machine_type ?? this.catalog.defaults.machineType,
        location: body.location ?? this.catalog.defaults.location,
        name: body.name ?? null,
        routingKey: body.routing_key ?? null,
      }),
    );
    return this.afterWrite(workspace.id, id);
  }

  @Get()
  @ApiPageResponse(InstanceResponse, 'instances, oldest first; archived ones only with include_archived=true', true)
  async list(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: InstanceListQuery) {
    return this.instances.list(workspace.id, query, query);
  }

  @Get('count')
  @ApiOkResponse({ schema: objectSchema({ count: { type: 'integer' } }) })
  async count(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: InstanceListQuery) {
    return { count: await this.instances.count(workspace.id, query) };
  }

  @Get(':instance_id')
  @ApiOkResponse({ type: InstanceResponse, description: 'the instance now, or with `as_of`/`as_of_position` as it was then' })
  @ApiBadRequestResponse({ description: 'an unparsable as_of or as_of_position, or both given' })
  async get(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string, @Query() query: AsOfQuery) {
    const point = AsOfQuery.pointOf(query);
    return found(point ? await this.asOf.instance(workspace.id, instanceId, point) : await this.instances.get(workspace.id, instanceId));
  }

  @Patch(':instance_id')
  @HttpCode(202)
  @RequireRole('member')
  @ApiAcceptedResponse({ type: InstanceResponse, description: 'a new machine type, location or routing key (with any labels given beside it): applies from the next (re)start' })
  @ApiOkResponse({ type: InstanceResponse, description: 'only name, description or tags: changed at once, the instance left running as it is' })
  @ApiBadRequestResponse({ description: 'nothing to change, or the status forbids it' })
  @ApiConflictResponse({ description: 'the routing key is taken' })
  async update(
    @CurrentWorkspace() workspace: WorkspaceAccess,
    @Param('instance_id', ParseUUIDPipe) instanceId: string,
    @Body() body: UpdateInstanceBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const labels: InstanceLabels = { name: body.name, description: body.description, tags: body.tags };
    const placement = body.machine_type !== undefined || body.location !== undefined || body.routing_key !== undefined;
    if (!placement && Object.values(labels).every((value) => value === undefined)) {
      throw new ValidationError('nothing to change', [{ field: 'body', message: 'give name, description, tags, machine_type, location or routing_key' }]);
    }
    if (placement) {
      await this.commands.execute(new ReconfigureInstance(workspace.id, instanceId, { machineType: body.machine_type, location: body.location, routingKey: body.routing_key, labels }));
    } else {
      await this.commands.execute(new ChangeInstance(workspace.id, instanceId, { type: 'Label', labels }));
      // Nothing is left to happen: the change is done, not accepted for later.
      void reply.status(200);
    }
    return this.afterWrite(workspace.id, instanceId);
  }

  @Delete(':instance_id')
  @HttpCode(202)
  @RequireRole('member')
  @ApiAcceptedResponse({ type: InstanceResponse, description: '`deleting`, then `archived` once its process is gone' })
  @ApiBadRequestResponse({ description: 'already being deleted' })
  async delete(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string) {
    await this.commands.execute(new ChangeInstance(workspace.id, instanceId, { type: 'Delete' }));
    return this.afterWrite(workspace.id, instanceId);
  }

  @Post(':instance_id/stop')
  @HttpCode(202)
  @RequireRole('member')
  @ApiAcceptedResponse({ type: InstanceResponse, description: '`stopping`, then `stopped`' })
  @ApiBadRequestResponse({ description: 'the status forbids it' })
  stop(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string) {
    return this.act(workspace.id, instanceId, 'stop');
  }

  @Post(':instance_id/start')
  @HttpCode(202)
  @RequireRole('member')
  @ApiAcceptedResponse({ type: InstanceResponse, description: '`pending`, then `provisioning` and `running`' })
  @ApiBadRequestResponse({ description: 'the status forbids it' })
  start(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string) {
    return this.act(workspace.id, instanceId, 'start');
  }

  @Post(':instance_id/restart')
  @HttpCode(202)
  @RequireRole('member')
  @ApiAcceptedResponse({ type: InstanceResponse, description: 'its process is replaced by a fresh one' })
  @ApiBadRequestResponse({ description: 'the status forbids it' })
  restart(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string) {
    return this.act(workspace.id, instanceId, 'restart');
  }

  private async act(workspaceId: string, instanceId: string, action: keyof typeof ACTIONS) {
    await this.commands.execute(new ChangeInstance(workspaceId, instanceId, ACTIONS[action]));
    return this.afterWrite(workspaceId, instanceId);
  }

  private async afterWrite(workspaceId: string, instanceId: string): Promise<InstanceView> {
    await this.consistency.waitForOwnWrites(['fleet']);
    return found(await this.instances.get(workspaceId, instanceId));
  }
}

function found(view: InstanceView | undefined): InstanceView {
  if (!view) throw new NotFoundError('no such instance');
  return view;
}
