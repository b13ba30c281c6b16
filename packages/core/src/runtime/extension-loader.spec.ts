import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { loadExtensions, parseExtensionList } from './extension-loader.js';
import { ExtensionLoadError } from './extension-registry.js';

const here = fileURLToPath(new URL('.', import.meta.url));

describe('loadExtensions', () => {
  it('imports an extension by path relative to the working directory', async () => {
    const [extension] = await loadExtensions(['./fixtures/valid-extension.ts'], here);
    expect(extension?.name).toBe('tiny');
  });

  it('refuses a module that does not export an extension, naming it', async () => {
    await expect(loadExtensions(['./fixtures/not-an-extension.ts'], here)).rejects.toThrow(
      '"./fixtures/not-an-extension.ts" does not export an extension: its default export is a object',
    );
  });

  it('refuses a package that cannot be resolved from the working directory, naming it', async () => {
    const error = (await loadExtensions(['@coordinator/extension-nope'], here).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ExtensionLoadError);
    expect(error.message).toContain('extension "@coordinator/extension-nope" cannot be resolved from');
  });

  it('refuses an empty list', async () => {
    await expect(loadExtensions([], here)).rejects.toThrow('COORDINATOR_EXTENSIONS is empty');
  });

  it('parses the comma-separated list', () => {
    expect(parseExtensionList(' a, ./b ,,c ')).toEqual(['a', './b', 'c']);
  });
});
