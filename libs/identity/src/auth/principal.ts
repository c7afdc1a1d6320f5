import { ServiceScope } from '../domain/service-scopes';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who is calling, as the bearer guard found out. */
export interface Principal {
  /** A service token's own id: it acts for its workspace, never as a person. */
  userId: string;
  tokenId: string;
  kind: 'session' | 'api' | 'service';
  /** An API token bound to one workspace, or a service token, can act in that workspace only. */
  workspaceId: string | null;
  isPlatformAdmin: boolean;
  /** A service token's scopes; empty for the others. */
  scopes: readonly ServiceScope[];
}

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ user: Principal }>().user;
});
