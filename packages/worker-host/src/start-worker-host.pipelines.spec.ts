import { ExtensionLoadError } from '@coordinator/core/runtime';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { startWorkerHost } from './start-worker-host.js';

// The core loader fixture: an extension named "tiny" with no pipelines.
const cwd = fileURLToPath(new URL('../../core/src/runtime/', import.meta.url));
const env = (pipelines: string) => ({
  REDIS_URL: 'redis://127.0.0.1:1',
  COORDINATOR_EXTENSIONS: './fixtures/valid-extension.ts',
  COORDINATOR_PIPELINES: pipelines,
});

describe('startWorkerHost with COORDINATOR_PIPELINES', () => {
  it('refuses a value that is not JSON, naming the variable', async () => {
    await expect(startWorkerHost({ env: env('{"tiny.flow": ['), cwd })).rejects.toThrow(
      /^COORDINATOR_PIPELINES is not valid JSON/,
    );
  });

  it('hands the step lists to the registry, which refuses a pipeline no extension defines', async () => {
    const error = await startWorkerHost({ env: env('{"tiny.flow": ["tiny.step"]}'), cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtensionLoadError);
    expect((error as ExtensionLoadError).problems).toEqual([
      'COORDINATOR_PIPELINES names pipeline "tiny.flow", which no loaded extension defines',
    ]);
  });
});
