import { Readable } from 'node:stream';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ApiPageResponse, ConsistencyService, newEntityId, NotFoundError, objectSchema, PageQuery, ReadModels, ValidationError } from '@streamplane/core';
import { CurrentWorkspace, RequireRole, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { SetInstanceEnv } from '../commands/env-commands';
import { ChangeInstance, InstanceChange, RequestDeploy } from '../commands/instance-commands';
import { LOG_SEVERITIES } from '../provisioner/log-lines';
import { PROVISIONER, Provisioner } from '../provisioner/provisioner.port';
import { InstanceDirectory } from '../queries/instance-directory';
import { DeployBody, DeployResponse, LogsQuery, RollbackBody, SetEnvBody, UnsetEnvQuery } from './instance.dto';
import { logEvents } from './log-events';

/** Secret values are write-only: every read shows them as `{secret: true, value: null}`. */
const ENV = objectSchema({
  envs: { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, objectSchema({ secret: { type: 'boolean', enum: [true] }, value: { type: 'string', nullable: true, enum: [null] } })] } },
});

const LOG_LINE = objectSchema({ time: { type: 'string', format: 'date-time', nullable: true }, severity: { type: 'string', enum: [...LOG_SEVERITIES] }, line: { type: 'string' } });

/** `Last-Event-ID` of a resumed log stream: the byte offset our events carry as their id. */
function lastEventId(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !/^\d{1,15}$/.test(header)) throw new ValidationError('the request has invalid fields', [{ field: 'Last-Event-ID', message: 'must be the id of an event this stream sent' }]);
  return Number(header);
}

/** Deploys and rollback, environment variables and logs of one instance (Tsuru's app operations). */
@ApiTags('instances')
@ReadModels('fleet')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/instances/:instance_id')
export class InstanceOperationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly instances: InstanceDirectory,
    private readonly consistency: ConsistencyService,
    @Inject(PROVISIONER) private readonly provisioner: Provisioner,
  ) {}

  @Post('deploys')
  @HttpCode(202)
  @RequireRole('member')
  @ApiAcceptedResponse({ type: DeployResponse, description: '`queued`; a stopped instance runs it at its next start' })
  @ApiBadRequestResponse({ description: 'unknown version, or the status forbids a deploy' })
  deploy(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string, @Body() body: DeployBody) {
    return this.commands.execute(new RequestDeploy(workspace.id, instanceId, { deployId: newEntityId(), imageVersion: body.image_version }));
  }

  @Get('deploys')
  @ApiPageResponse(DeployResponse, 'deploys of the instance, newest first')
  async history(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string, @Query() query: PageQuery) {
    await this.existing(workspace.id, instanceId);
    const { page, pageSize, offset } = PageQuery.resolve(query);
    const { items, total } = await this.instances.deploys(workspace.id, instanceId, pageSize, offset);
    return { items, page, page_size: pageSize, total };
  }

  @Post('rollback')
  @HttpCode(202)
  @RequireRole('member')
  @ApiAcceptedResponse({ type: DeployResponse, description: 'a deploy of the previous succeeded version, or of the named deploy’s' })
  @ApiBadRequestResponse({ description: 'nothing to roll back to, or the named deploy never succeeded' })
  rollback(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string, @Body() body: RollbackBody) {
    return this.commands.execute(new RequestDeploy(workspace.id, instanceId, { deployId: newEntityId(), rollbackTo: body.deploy_id }));
  }

  @Get('env')
  @ApiOkResponse({ schema: ENV })
  env(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string) {
    return this.envOf(workspace.id, instanceId);
  }

  @Put('env')
  @RequireRole('member')
  @ApiOkResponse({ schema: ENV, description: 'all its variables after the change; with restart: true the instance restarts to apply them' })
  async setEnv(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string, @Body() body: SetEnvBody) {
    await this.commands.execute(new SetInstanceEnv(workspace.id, instanceId, body.envs, body.restart ?? false));
    return this.envAfterWrite(workspace.id, instanceId);
  }

  @Delete('env')
  @RequireRole('member')
  @ApiOkResponse({ schema: ENV, description: 'all its variables after the change' })
  async unsetEnv(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string, @Query() query: UnsetEnvQuery) {
    return this.changeEnv(workspace.id, instanceId, { type: 'ChangeEnv', set: {}, unset: query.names, restart: query.restart ?? false });
  }

  @Get('logs')
  @ApiOkResponse({
    description: 'the instance process’s log lines, oldest first; with follow=true a text/event-stream of them, one `log` event per line, as they are written',
    content: {
      'application/json': { schema: objectSchema({ items: { type: 'array', items: LOG_LINE } }) },
      'text/event-stream': { schema: { type: 'string', description: 'events `id: <offset>`, `event: log`, `data: {time, severity, line}`; `: heartbeat` comments every 15 s' } },
    },
  })
  @ApiBadRequestResponse({ description: 'a bad since, until, severity or limit; until with follow; a Last-Event-ID that is not one of ours' })
  async logs(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) instanceId: string, @Query() query: LogsQuery, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.existing(workspace.id, instanceId);
    const filter = { since: query.since ? new Date(query.since) : undefined, severity: query.severity, search: query.search, limit: query.limit ?? 100 };
    if (!query.follow) return reply.send({ items: await this.provisioner.logs(instanceId, { ...filter, until: query.until ? new Date(query.until) : undefined }) });
    if (query.until !== undefined) throw new ValidationError('the request has invalid fields', [{ field: 'until', message: 'a followed log has no end: leave until out, or follow=false' }]);
    const gone = new AbortController();
    // The client going away (or the server closing the socket) ends the stream and its polling.
    reply.raw.once('close', () => gone.abort());
    const lines = this.provisioner.followLogs(instanceId, { after: lastEventId(request.headers['last-event-id']), query: filter }, gone.signal);
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .send(Readable.from(logEvents(lines, gone.signal), { objectMode: false }));
  }

  private async changeEnv(workspaceId: string, instanceId: string, change: InstanceChange) {
    await this.commands.execute(new ChangeInstance(workspaceId, instanceId, change));
    return this.envAfterWrite(workspaceId, instanceId);
  }

  private async envAfterWrite(workspaceId: string, instanceId: string) {
    await this.consistency.waitForOwnWrites(['fleet']);
    return this.envOf(workspaceId, instanceId);
  }

  private async envOf(workspaceId: string, instanceId: string) {
    const envs = await this.instances.env(workspaceId, instanceId);
    if (!envs) throw new NotFoundError('no such instance');
    return { envs };
  }

  private async existing(workspaceId: string, instanceId: string): Promise<void> {
    if (!(await this.instances.get(workspaceId, instanceId))) throw new NotFoundError('no such instance');
  }
}
