import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ConsistencyInterceptor, GlobalRateLimitModule, IdempotencyInterceptor, ProblemDetailsFilter } from '@streamplane/core';
import { EdgeInterceptor } from './edge.interceptor';
import { PlatformModule } from './platform/platform.module';

/** The HTTP role: platform routes and the cross-cutting HTTP behaviour every context's routes get. */
@Module({
  imports: [PlatformModule, GlobalRateLimitModule],
  providers: [
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    IdempotencyInterceptor,
    ConsistencyInterceptor,
    { provide: APP_INTERCEPTOR, useClass: EdgeInterceptor },
  ],
})
export class ApiModule {}
