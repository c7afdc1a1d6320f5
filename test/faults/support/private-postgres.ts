import { execFile, execFileSync } from 'node:child_process';
import { accessSync, appendFileSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '@streamplane/fleet/provisioner/local-provisioner';

/**
 * A throwaway PostgreSQL cluster for one test file: initdb into a temp dir (trust auth, loopback
 * only, its own socket dir), started on a free port. A test can stop and restart it to simulate
 * an outage without touching the machine's shared server that other test files use in parallel.
 */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/<database>`: the database made at start. */
  url: string;
  port: number;
  /** Creates another database in the cluster and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server but keeps the cluster, for an outage of a length the test decides. */
  shutdown(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts the (stopped) server again on the same port and waits until it accepts connections. */
  start(): Promise<void>;
  /** shutdown then start; `downForMs` keeps it down for that long in between. */
  restart(options?: { mode?: 'fast' | 'immediate'; downForMs?: number }): Promise<void>;
  /** Stops the server for good and removes the cluster. Safe to call twice, or after a failed start. */
  stop(): Promise<void>;
  /** The end of the server's log, for failure messages. */
  logTail(lines?: number): string;
}

const COMMAND_TIMEOUT_MS = 60_000;

// Fast and small: a test cluster needs no durability against an OS crash (fsync off), but it
// must take the connections of three processes with pools of 20 each plus the test's own.
const SETTINGS = [
  "listen_addresses = '127.0.0.1'",
  'max_connections = 200',
  'shared_buffers = 32MB',
  'fsync = off',
  'synchronous_commit = off',
  'full_page_writes = off',
  'log_min_messages = warning',
];

export async function startPrivatePostgres(database = 'streamplane'): Promise<PrivatePostgres> {
  const bin = findPostgresBinDir();
  const owner = clusterOwner();
  const root = mkdtempSync(join(tmpdir(), 'sp-faults-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  // The exit hook is a last resort for a jest worker that dies before afterAll: never leave a
  // postmaster running or a cluster on disk behind.
  const onExit = () => killPostmaster(dataDir, root);
  process.once('exit', onExit);

  const run = (tool: string, args: string[]) => runAs(owner, join(bin, tool), args);
  let stopped = false;
  let port = 0;
  try {
    if (owner) chownSync(root, owner.uid, owner.gid);
    await run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    appendFileSync(join(dataDir, 'postgresql.conf'), `\n# streamplane fault tests\n${SETTINGS.join('\n')}\nunix_socket_directories = '${root}'\n`);
    // Another process may take the free port before the server binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await run('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', `-p ${port}`]);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    await createDatabase(port, database);
  } catch (error) {
    const log = tail(logFile, 30); // before the cluster, log included, is removed
    killPostmaster(dataDir, root);
    process.removeListener('exit', onExit);
    throw new Error(`private PostgreSQL did not start: ${describe(error)}\n${log}`);
  }

  const pgCtl = (args: string[]) => run('pg_ctl', [...args, '-D', dataDir]);
  const cluster: PrivatePostgres = {
    url: databaseUrl(port, database),
    port,
    async createDatabase(name) {
      await createDatabase(port, name);
      return databaseUrl(port, name);
    },
    async shutdown(mode = 'fast') {
      await pgCtl(['stop', '-m', mode, '-w', '-t', '30']);
    },
    async start() {
      await pgCtl(['start', '-l', logFile, '-w', '-t', '30', '-o', `-p ${port}`]);
    },
    async restart({ mode = 'fast', downForMs = 0 } = {}) {
      await cluster.shutdown(mode);
      if (downForMs > 0) await new Promise((resolve) => setTimeout(resolve, downForMs));
      await cluster.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await pgCtl(['stop', '-m', 'immediate', '-w', '-t', '30']).catch(() => undefined); // may be down already
      killPostmaster(dataDir, root);
      process.removeListener('exit', onExit);
    },
    logTail: (lines = 40) => tail(logFile, lines),
  };
  return cluster;
}

const databaseUrl = (port: number, name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;

async function createDatabase(port: number, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = new Client({ connectionString: databaseUrl(port, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

/**
 * The directory holding initdb and pg_ctl: PG_BINDIR, then PATH, then Debian's
 * /usr/lib/postgresql/<version>/bin (newest first; not on PATH there), other distributions'
 * usual places, and finally `pg_config --bindir`.
 */
export function findPostgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'initdb'))) candidates.push(dirname(realpathSync(join(dir, 'initdb'))));
  }
  candidates.push(...versionDirs('/usr/lib/postgresql', /^\d+$/, (name) => join('/usr/lib/postgresql', name, 'bin'))); // Debian, Ubuntu
  candidates.push(...versionDirs('/usr', /^pgsql-\d+$/, (name) => join('/usr', name, 'bin'))); // RHEL (PGDG)
  candidates.push('/usr/local/pgsql/bin');
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config (Debian ships it in libpq-dev): the other candidates decide
  }
  const found = candidates.find((dir) => isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl')));
  if (!found) throw new Error(`no PostgreSQL server binaries (initdb, pg_ctl) found; looked in ${candidates.join(', ')}. Install postgresql or set PG_BINDIR.`);
  return found;
}

/** Subdirectories of `parent` named like `pattern`, highest version number first. */
function versionDirs(parent: string, pattern: RegExp, bin: (name: string) => string): string[] {
  if (!existsSync(parent)) return [];
  const version = (name: string) => Number(/\d+/.exec(name)![0]);
  return readdirSync(parent)
    .filter((name) => pattern.test(name))
    .sort((a, b) => version(b) - version(a))
    .map(bin);
}

/** initdb and postgres refuse to run as root: as root, the cluster belongs to the postgres user. */
function clusterOwner(): { user: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = process.env.PG_CLUSTER_USER ?? 'postgres';
  try {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
    return { user, uid, gid };
  } catch {
    throw new Error(`running as root, PostgreSQL needs an unprivileged user to own the cluster, and there is no user ${user} (set PG_CLUSTER_USER)`);
  }
}

function runAs(owner: { user: string } | undefined, command: string, args: string[]): Promise<string> {
  const [file, argv] = owner ? ['runuser', ['-u', owner.user, '--', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    // cwd: the postgres user may not be allowed into the test's working directory.
    execFile(file, argv, { timeout: COMMAND_TIMEOUT_MS, cwd: tmpdir(), encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command.split('/').pop()} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** SIGQUIT is PostgreSQL's immediate shutdown; synchronous so that it also works in an exit hook. */
function killPostmaster(dataDir: string, root: string): void {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGQUIT');
  } catch {
    // not running
  }
  rmSync(root, { recursive: true, force: true });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
