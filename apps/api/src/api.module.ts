import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AppConfig, ConsistencyInterceptor, GlobalRateLimitModule, IdempotencyInterceptor, MinPositionGate, ProblemDetailsFilter } from '@streamplane/core';
import { EdgeInterceptor } from './edge.interceptor';
import { PlatformModule } from './platform/platform.module';

/**
 * The HTTP role: platform routes and the cross-cutting HTTP behaviour every context's routes get.
 * Command routes get EdgeInterceptor (see interceptCommandRoutes); every route gets MinPositionGate.
 */
@Module({
  imports: [GlobalRateLimitModule],
  providers: [
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_GUARD, useClass: MinPositionGate },
    IdempotencyInterceptor,
    ConsistencyInterceptor,
    EdgeInterceptor,
  ],
})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ApiModule, imports: [PlatformModule.forRoot(config)] };
  }
}
