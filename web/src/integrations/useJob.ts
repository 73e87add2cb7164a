import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import type { JobFieldsFragment } from '../gql/graphql';
import { JobQuery } from '../graphql/operations/lever';

/** A job still waiting for or holding a worker. */
export const isRunning = (job: Pick<JobFieldsFragment, 'status'>) =>
  job.status === 'QUEUED' || job.status === 'RUNNING';

/**
 * Follows a job the server queued (a catalogue refresh, a repair) by asking
 * for it every `intervalMs` until it leaves QUEUED/RUNNING. Answers the
 * latest state of `started`, or null when nothing was started.
 */
export function useJob(started: JobFieldsFragment | null, intervalMs = 500) {
  const client = useClient();
  const [polled, setPolled] = useState<JobFieldsFragment | null>(null);
  const job = polled && started && polled.id === started.id ? polled : started;

  useEffect(() => {
    if (!job || !isRunning(job)) return;
    const timer = setTimeout(async () => {
      const result = await client.query(JobQuery, { id: job.id }, { requestPolicy: 'network-only' }).toPromise();
      if (result.data?.job) setPolled(result.data.job);
    }, intervalMs);
    return () => clearTimeout(timer);
  }, [client, job, intervalMs]);

  return job;
}
