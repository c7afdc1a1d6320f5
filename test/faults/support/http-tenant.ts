import { randomBytes } from 'node:crypto';
import { TEST_ADMIN } from '../../support/test-app';
import { answer, expectStatus, sleep } from './http';

export interface HttpTenant {
  /** Authorization header of the workspace's owner. */
  owner: { Authorization: string };
  admin: { Authorization: string };
  workspaceId: string;
  /** `/v1/workspaces/<id>` */
  base: string;
}

export const TENANT_PASSWORD = 'correct horse battery';

/**
 * Over the network, as a client would (the product runs in child processes): waits for health,
 * signs the bootstrapped admin in, signs a user up, verifies it through the outbox mail and makes
 * it the owner of a fresh workspace.
 */
export async function httpTenant(baseUrl: string, label: string): Promise<HttpTenant> {
  await until(`GET /v1/health answers 200 at ${baseUrl}`, 60_000, async () => (await answer(baseUrl, 'GET', '/v1/health')).status === 200);
  const email = `${label}.${randomBytes(4).toString('hex')}@example.com`;
  // The sign-up answers once the identity read models hold it, so they hold the admin (bootstrapped
  // before the processes said ready) too, and the admin's sign-in cannot fail for being early.
  await expectStatus(baseUrl, 'POST', '/v1/auth/sign-up', 201, { body: { email, password: TENANT_PASSWORD } });
  const admin = await signIn(baseUrl, TEST_ADMIN);
  const token = await until(`the verification mail to ${email}`, 30_000, async () => {
    const res = await answer(baseUrl, 'GET', `/v1/admin/mail?to=${encodeURIComponent(email)}`, { headers: admin });
    const items = (res.body as { items?: Array<{ subject: string; body: string }> } | undefined)?.items ?? [];
    const mail = items.find((m) => /verify/i.test(m.subject));
    return mail && /(sp_verify_[A-Za-z0-9_-]+)/.exec(mail.body)?.[1];
  });
  await expectStatus(baseUrl, 'POST', '/v1/auth/verify', 200, { body: { verification_token: token } });
  const owner = await signIn(baseUrl, { email, password: TENANT_PASSWORD });
  const workspace = await expectStatus(baseUrl, 'POST', '/v1/workspaces', 201, { headers: owner, body: { name: `${label} workspace` } });
  const workspaceId = (workspace.body as { id: string }).id;
  return { owner, admin, workspaceId, base: `/v1/workspaces/${workspaceId}` };
}

/** A few slow attempts: five failed sign-ins lock an account for 15 minutes. */
async function signIn(baseUrl: string, credentials: { email: string; password: string }): Promise<{ Authorization: string }> {
  let last = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    const res = await answer(baseUrl, 'POST', '/v1/auth/sign-in', { body: credentials });
    if (res.status === 200) return { Authorization: `Bearer ${(res.body as { token: string }).token}` };
    last = `${res.status} ${res.text.slice(0, 300)}`;
    await sleep(1500);
  }
  throw new Error(`sign-in of ${credentials.email} failed: ${last}`);
}

/** Polls `check` until it returns something truthy; throws naming `what` after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined | false | null | ''>, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(intervalMs);
  }
}
