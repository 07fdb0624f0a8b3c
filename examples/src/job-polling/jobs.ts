/** A batch-job service: submit a job, then look at its status until it finishes. */
export interface JobService {
  submit(input: { report: string }): Promise<{ jobId: string }>;
  status(jobId: string): Promise<{ state: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED"; outputUrl?: string; reason?: string }>;
}

/**
 * A simulated job service: each job reports RUNNING for `runningLooks` status calls, then its
 * outcome. Counts calls so tests can check nothing is repeated needlessly.
 */
export function simulatedJobs(runningLooks = 3, fail = false) {
  const calls = { submit: 0, status: 0 };
  const looks = new Map<string, number>();
  const service: JobService = {
    async submit(input) {
      calls.submit++;
      const jobId = `job-${input.report}-${calls.submit}`;
      looks.set(jobId, 0);
      return { jobId };
    },
    async status(jobId) {
      calls.status++;
      const n = (looks.get(jobId) ?? 0) + 1;
      looks.set(jobId, n);
      if (n === 1) return { state: "QUEUED" };
      if (n <= runningLooks) return { state: "RUNNING" };
      return fail ? { state: "FAILED", reason: "out of memory" } : { state: "SUCCEEDED", outputUrl: `s3://reports/${jobId}.csv` };
    },
  };
  return { service, calls };
}
