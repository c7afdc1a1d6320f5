import { DynamicModule, Type } from '@nestjs/common';
import { AppConfig, CoreModule } from '@streamplane/core';
import { ApiModule } from '../../api/src/api.module';
import { ProjectorModule } from '../../projector/src/projector.module';
import { WorkerModule } from '../../worker/src/worker.module';
import { CONTEXT_MODULES } from './contexts';

/** The whole product; `config.roles` decides which of api, projector and worker run in this process. */
export class StreamplaneModule {
  static forRoot(config: AppConfig, extraModules: Array<Type | DynamicModule> = []): DynamicModule {
    return {
      module: StreamplaneModule,
      imports: [
        CoreModule.forRoot(config),
        ...CONTEXT_MODULES,
        ...extraModules,
        ...(config.roles.includes('api') ? [ApiModule.forRoot(config)] : []),
        ...(config.roles.includes('projector') ? [ProjectorModule] : []),
        ...(config.roles.includes('worker') ? [WorkerModule] : []),
      ],
    };
  }
}
