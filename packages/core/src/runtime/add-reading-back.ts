import { Job, SpanKind, TelemetryAttributes, type JobsOptions, type Queue } from 'bullmq';

/**
 * `queue.add` for a job with a chosen id, answering with the `data` the queue holds under that
 * id afterwards: the job's own if the add stored it, the earlier job's if the id was taken
 * (BullMQ's add answers a taken id exactly like a new one).
 *
 * One round trip: `job.addJob(client)` writes BullMQ's add script to the connection before it
 * first awaits, so an HGET issued right after it on the same client runs after the add, and
 * Redis answers both together. `queue.add` awaits before it writes, so nothing can be queued
 * behind it in order; this is its body (the producer span, trace propagation into the job's
 * options, the `waiting` event) with the read added.
 */
export async function addReadingBack(
  queue: Queue,
  name: string,
  data: object,
  options: JobsOptions & { jobId: string },
): Promise<string | null> {
  return queue.trace(SpanKind.PRODUCER, 'add', `${queue.name}.${name}`, async (span, propagation) => {
    const telemetry =
      propagation !== undefined && !options.telemetry?.omitContext ? { metadata: propagation } : options.telemetry;
    const client = await queue.getBackend().client;
    const job = new Job(queue, name, data, { ...queue.jobsOpts, ...options, telemetry }, options.jobId);
    // Both awaited together: when Redis refuses the add it refuses the read too, and that
    // rejection must be handled as well.
    const [, stored] = await Promise.all([job.addJob(client), client.hget(queue.toKey(options.jobId), 'data')]);
    span?.setAttributes({ [TelemetryAttributes.JobName]: name, [TelemetryAttributes.JobId]: options.jobId });
    queue.emit('waiting', job);
    return stored;
  });
}
