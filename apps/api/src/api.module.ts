import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ConsistencyInterceptor, GlobalRateLimitModule, IdempotencyInterceptor, ProblemDetailsFilter } from '@streamplane/core';
import { PlatformModule } from './platform/platform.module';

/** The HTTP role: platform routes and the cross-cutting HTTP behaviour every context's routes get. */
@Module({
  imports: [PlatformModule, GlobalRateLimitModule],
  providers: [
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    // Idempotency wraps consistency, so a replay gives back the position header of the first answer.
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: APP_INTERCEPTOR, useClass: ConsistencyInterceptor },
  ],
})
export class ApiModule {}
