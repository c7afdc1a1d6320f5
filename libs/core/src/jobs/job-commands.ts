import { Job } from 'bullmq';
import { EventIdConflictError } from '@streamplane/eventstore';
import { runInContext } from '../context/request-context';

/**
 * Runs a job's commands the way a request runs them: in a context whose idempotency key is the
 * job's id, so the events it appends get the same ids every time the job runs. A second run (a
 * stalled job handed to another worker, a retry) cannot append them again.
 */
export async function runJobCommands<T>(job: Pick<Job, 'id' | 'queueName' | 'data'>, work: () => Promise<T>): Promise<T | undefined> {
  const jobId = String(job.id);
  const correlationId = typeof job.data?.correlation_id === 'string' ? job.data.correlation_id : jobId;
  const context = {
    requestId: correlationId,
    actor: { type: 'worker' as const, id: job.queueName },
    causationId: typeof job.data?.event_id === 'string' ? job.data.event_id : jobId,
    jobId,
    idempotencyKey: `job:${jobId}`,
  };
  try {
    return await runInContext(context, work);
  } catch (error) {
    if (error instanceof EventIdConflictError) return undefined; // an earlier run already wrote these events
    throw error;
  }
}
