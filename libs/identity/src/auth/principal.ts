import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who is calling, as the bearer guard found out. */
export interface Principal {
  userId: string;
  tokenId: string;
  kind: 'session' | 'api';
  /** An API token bound to one workspace can act in that workspace only. */
  workspaceId: string | null;
  isPlatformAdmin: boolean;
}

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ user: Principal }>().user;
});
