import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The version in the project's package.json, found from here whether running from src or dist; read once. */
export function productVersion(): string {
  cached ??= readProductVersion();
  return cached;
}

function readProductVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'streamplane' && pkg.version) return pkg.version;
    }
  }
  return 'unknown';
}
