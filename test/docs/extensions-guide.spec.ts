/*
 * The extension guide's code samples are the files under docs/examples, which the
 * type check compiles and jest runs (docs/examples/**\/*.spec.ts). This test keeps the
 * guide's copies identical to those files.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const guide = readFileSync(`${root}docs/extensions.md`, 'utf8');
const samples = [...guide.matchAll(/<!-- sample: (\S+) -->\n\n?```ts\n([\s\S]*?)```/g)].map(([, file, body]) => ({
  file: file!,
  body: body!,
}));

describe('docs/extensions.md', () => {
  it('shows samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(8);
  });

  it.each(samples)(
    'shows $file exactly as compiled (run `node scripts/sync-doc-samples.mjs` after editing it)',
    ({ file, body }) => {
      expect(body).toBe(readFileSync(`${root}${file}`, 'utf8'));
    },
  );

  it('has no code block for an extension author that the suite does not compile', () => {
    const unchecked = [...guide.matchAll(/(<!-- sample: \S+ -->\n\n?)?```ts\n/g)].filter(([, marker]) => !marker);
    expect(unchecked).toHaveLength(0);
  });
});
