import 'reflect-metadata';
import { loadConfig } from '@streamplane/core';
import { createApp } from '../../apps/streamplane/src/start';
import { CountersModule } from '../fixtures/counters/counters.module';

// One role (ROLES, default projector) of the product with the counters fixture, as its own
// process, for tests that kill and restart it. With ROLE_PROCESS_LISTEN=1 and the api role it
// also serves HTTP on PORT (on 127.0.0.1 only), for tests that talk to it over the network.
async function main() {
  const config = loadConfig({ ...process.env, ROLES: process.env.ROLES || 'projector' });
  const app = await createApp(config, [CountersModule]);
  if (process.env.ROLE_PROCESS_LISTEN === '1' && config.roles.includes('api')) await app.listen(config.port, '127.0.0.1');
  else await app.init();
  process.send?.('ready');
}

void main();
