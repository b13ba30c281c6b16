import { gt, valid } from 'semver';
import type { ExtensionRegistry } from './extension-registry.js';
import type { JobMeta } from './job-envelope.js';
import { JobDeferral, jitteredDelay } from './job-deferral.js';

/** How long a job written for a newer worker waits before a worker looks at it again. */
export const SCHEMA_AHEAD_DELAY_MS = 5_000;

/**
 * During a rolling deploy an updated api-host (or worker) may write jobs that an older
 * worker cannot read: a payload of a newer `schemaVersion`, or a task its extension
 * version does not have yet. Such a job is put back for a newer worker instead of being
 * failed; anything else (an unknown extension, an older schema) is the executor's to judge.
 *
 * @returns the deferral to throw, or `undefined` when this worker can run the job.
 */
export function schemaSkewOf(registry: ExtensionRegistry, task: string, meta: JobMeta): JobDeferral | undefined {
  const known = registry.findTask(task);
  if (known) {
    const written = meta.schemaVersion;
    const understood = known.definition.schemaVersion;
    if (typeof written !== 'number' || written <= understood) return undefined;
    return new JobDeferral(
      'schema-ahead',
      jitteredDelay(SCHEMA_AHEAD_DELAY_MS),
      `${task} was written with schema version ${written}; this worker knows version ${understood}: left for a newer worker`,
    );
  }
  const extension = registry.extensions.find((e) => e.name === meta.extension);
  const version = meta.extensionVersion;
  if (!extension || typeof version !== 'string' || !valid(version) || !valid(extension.version)) return undefined;
  if (!gt(version, extension.version)) return undefined;
  return new JobDeferral(
    'schema-ahead',
    jitteredDelay(SCHEMA_AHEAD_DELAY_MS),
    `${task} comes from ${extension.name} ${version}; this worker runs ${extension.version}, which lacks it: left for a newer worker`,
  );
}
