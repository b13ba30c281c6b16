import { describe, expect, it } from '@jest/globals';
import { IsString } from 'class-validator';
import { defineExtension } from '../contract/define-extension.js';
import { defineTask } from '../contract/define-task.js';
import type { TaskHandler } from '../contract/task-context.js';
import { ExtensionRegistry } from './extension-registry.js';
import type { JobMeta } from './job-envelope.js';
import { JobDeferral } from './job-deferral.js';
import { SCHEMA_AHEAD_DELAY_MS, schemaSkewOf } from './schema-skew.js';

class Payload {
  @IsString()
  label!: string;
}
class Handler implements TaskHandler<Payload> {
  async run() {
    return null;
  }
}

const registry = new ExtensionRegistry([
  defineExtension({
    name: 'mail',
    version: '2.3.0',
    tasks: [defineTask({ name: 'mail.send', payload: Payload, handler: Handler, schemaVersion: 3 })],
  }),
]);

const meta = (fields: Partial<JobMeta>): JobMeta => ({
  task: 'mail.send',
  extension: 'mail',
  extensionVersion: '2.3.0',
  schemaVersion: 3,
  enqueuedAt: '2026-01-01T00:00:00.000Z',
  trace: {},
  ...fields,
});

describe('schemaSkewOf', () => {
  it('lets a worker run jobs of its own schema version and of older ones', () => {
    expect(schemaSkewOf(registry, 'mail.send', meta({ schemaVersion: 3 }))).toBeUndefined();
    expect(schemaSkewOf(registry, 'mail.send', meta({ schemaVersion: 1, extensionVersion: '1.0.0' }))).toBeUndefined();
  });

  it('defers a job written with a newer schema, for about five seconds', () => {
    const deferral = schemaSkewOf(registry, 'mail.send', meta({ schemaVersion: 4, extensionVersion: '2.4.0' }));
    expect(deferral).toBeInstanceOf(JobDeferral);
    expect(deferral).toMatchObject({ reason: 'schema-ahead' });
    expect(deferral!.message).toBe(
      'mail.send was written with schema version 4; this worker knows version 3: left for a newer worker',
    );
    expect(deferral!.delayMs).toBeGreaterThanOrEqual(SCHEMA_AHEAD_DELAY_MS * 0.8);
    expect(deferral!.delayMs).toBeLessThanOrEqual(SCHEMA_AHEAD_DELAY_MS * 1.2);
  });

  it('defers a task this worker lacks when a newer version of its extension wrote it', () => {
    const deferral = schemaSkewOf(registry, 'mail.digest', meta({ task: 'mail.digest', extensionVersion: '2.4.0' }));
    expect(deferral?.message).toBe(
      'mail.digest comes from mail 2.4.0; this worker runs 2.3.0, which lacks it: left for a newer worker',
    );
  });

  it('leaves jobs no newer worker could run to the executor, which fails them', () => {
    // Same or older extension version: the task was removed or never existed.
    expect(schemaSkewOf(registry, 'mail.digest', meta({ task: 'mail.digest' }))).toBeUndefined();
    expect(
      schemaSkewOf(registry, 'mail.digest', meta({ task: 'mail.digest', extensionVersion: '2.2.9' })),
    ).toBeUndefined();
    // An extension this host does not load, or a version that is not semver.
    expect(schemaSkewOf(registry, 'sms.send', meta({ task: 'sms.send', extension: 'sms' }))).toBeUndefined();
    expect(
      schemaSkewOf(registry, 'mail.digest', meta({ task: 'mail.digest', extensionVersion: 'next' })),
    ).toBeUndefined();
  });
});
