import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConsistencyService } from './consistency.service';
import { headerNumber, RouteReadModels } from './read-models';

const POSITION = /^\d{1,19}$/;

/**
 * `X-Min-Position`: a request waits (bounded) until the route's read models hold that position,
 * and is marked `X-Consistency: stale` if they don't in time. A guard rather than an interceptor:
 * it needs the route's metadata, and Nest's interceptor layer (deferred observables and an
 * AsyncResource per request) cost a fifth of a read that needs none of it.
 */
@Injectable()
export class MinPositionGate implements CanActivate {
  private readonly readModels: RouteReadModels;

  constructor(
    private readonly consistency: ConsistencyService,
    reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.readModels = new RouteReadModels(reflector);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const minPosition = headerNumber(context.switchToHttp().getRequest<FastifyRequest>(), 'X-Min-Position', POSITION);
    return minPosition === undefined ? true : this.waitFor(minPosition, context);
  }

  private async waitFor(position: bigint, context: ExecutionContext): Promise<boolean> {
    if (!(await this.reached(position, this.readModels.of(context)))) context.switchToHttp().getResponse<FastifyReply>().header('X-Consistency', 'stale');
    return true;
  }

  /**
   * A position above the log's head was never written: waiting for it would only hold the request
   * (anyone's, /v1/health included) for the whole bound. It answers at once, marked stale.
   */
  private async reached(position: bigint, contexts: string[] | undefined): Promise<boolean> {
    if (position > (await this.store.headPosition())) return false;
    return this.consistency.waitFor(position, contexts, this.config.minPositionTimeoutMs);
  }
}
