import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { AppConfig, ConsistencyInterceptor, GlobalRateLimitModule, IdempotencyInterceptor, ProblemDetailsFilter } from '@streamplane/core';
import { EdgeInterceptor } from './edge.interceptor';
import { PlatformModule } from './platform/platform.module';

/** The HTTP role: platform routes and the cross-cutting HTTP behaviour every context's routes get. */
@Module({
  imports: [GlobalRateLimitModule],
  providers: [
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    IdempotencyInterceptor,
    ConsistencyInterceptor,
    { provide: APP_INTERCEPTOR, useClass: EdgeInterceptor },
  ],
})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ApiModule, imports: [PlatformModule.forRoot(config)] };
  }
}
