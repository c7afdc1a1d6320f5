import { IncomingMessage, ServerResponse } from 'node:http';
import { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';

/**
 * helmet's headers for `options`, worked out once: they depend on the options only, so running
 * helmet's middleware (which parses its CSP directives again on every call) per request would
 * redo the same work each time. The hook sets them on every answer, errors before routing included.
 */
export function securityHeaders(options: HelmetOptions): onRequestHookHandler {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => (headers[name] = Array.isArray(value) ? value.join(', ') : String(value)),
    removeHeader: (name: string) => delete headers[name],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return (_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    reply.headers(headers);
    done();
  };
}
