import type { LogSeverity } from './log-lines';

/** What an instance runs as: enough for any driver (local process, Docker, Kubernetes) to start it. */
export interface InstanceSpec {
  instanceId: string;
  workspaceId: string;
  imageVersion: string;
  machineType: string;
  location: string;
  env: Record<string, string>;
}

export interface RunningInstance {
  /** Where clients reach it. */
  endpoint: string;
}

/**
 * Runs instances somewhere. Every method is idempotent — a deploy job may run twice after a
 * worker crash — and leaves exactly one running copy of an instance, or none.
 */
export interface Provisioner {
  /**
   * The worker host this driver runs instances on, recorded on each instance it brings up: only
   * that host can see (health-check, heal) them. A driver whose instances every worker reaches
   * (Kubernetes) returns one shared id.
   */
  readonly hostId: string;
  /** Whether this host has a record of running the instance (for instances recorded before hosts were). */
  runsHere(instanceId: string): boolean;
  /** Starts the instance with this spec, replacing any copy running with another one. */
  ensureRunning(spec: InstanceSpec): Promise<RunningInstance>;
  /** Stops every copy of the instance; fine if none runs. */
  ensureStopped(instanceId: string): Promise<void>;
  /** Whether the instance answers its health check now. */
  isHealthy(instanceId: string): Promise<boolean>;
  /** The instance process's log lines, oldest first. */
  logs(instanceId: string, query: LogQuery): Promise<LogLine[]>;
  /** Its log lines as they are written, each with an id to resume after, until `signal` aborts. */
  followLogs(instanceId: string, follow: LogFollow, signal: AbortSignal): AsyncIterable<FollowedLogLine>;
}

export interface LogQuery {
  /** Only lines written at or after this time. */
  since?: Date;
  /** Only lines written before this time. */
  until?: Date;
  /** Only lines of this severity or a more severe one. */
  severity?: LogSeverity;
  /** The newest this many lines. */
  limit: number;
  /** Only lines containing this text (case-insensitive). */
  search?: string;
}

export interface LogLine {
  time: string | null;
  severity: LogSeverity;
  line: string;
}

/** What to follow: lines after the id `after` (a resumed stream), else the query's last `limit` lines first. */
export interface LogFollow {
  after?: number;
  query: Omit<LogQuery, 'until'>;
}

export interface FollowedLogLine extends LogLine {
  id: string;
}

export const PROVISIONER = Symbol('PROVISIONER');
