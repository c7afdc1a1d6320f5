import { randomUUID } from 'node:crypto';
import { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { runInContext } from '../context/request-context';

/**
 * Opens the request's context: its id (the client's X-Request-Id when sane, echoed back), a
 * correlation id of the server's own, and no actor until someone authenticates it. A
 * preValidation hook, not an onRequest one: body parsing runs on the socket's callbacks, which
 * would leave a context opened before it behind.
 */
export function openRequestContext(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  runInContext({ requestId: request.id, correlationId: randomUUID(), actor: { type: 'user', id: 'anonymous' } }, done);
}

/** Every answer names its request, errors before routing (404, 413, 415) included. */
export function echoRequestId(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  reply.header('X-Request-Id', request.id);
  done();
}
