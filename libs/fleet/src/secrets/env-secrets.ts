import { FleetSecrets } from './fleet-secrets';

/** What a secret env value is bound to: it opens only as this variable of this instance. */
export const envSecretContext = (workspaceId: string, instanceId: string, name: string) => `env ${workspaceId}/${instanceId}/${name}`;

/** The instance's environment for its process: clear values and, opened, the secret ones (worker only). */
export async function processEnv(secrets: FleetSecrets, workspaceId: string, instanceId: string, env: Record<string, string>, sealedEnv: Record<string, string>): Promise<Record<string, string>> {
  const opened: Record<string, string> = {};
  for (const [name, sealed] of Object.entries(sealedEnv)) opened[name] = await secrets.open(workspaceId, envSecretContext(workspaceId, instanceId, name), sealed);
  return { ...env, ...opened };
}
