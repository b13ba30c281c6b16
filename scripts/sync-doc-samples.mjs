#!/usr/bin/env node
// Rewrites the code block after every `<!-- sample: path -->` marker in the docs from
// the file it names, so the guide shows code the test suite compiles and runs.
// `node scripts/sync-doc-samples.mjs` updates; `--check` only reports drift (exit 1).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const GUIDES = ['docs/extensions.md'];
const SAMPLE = /(<!-- sample: (\S+) -->\n\n?```ts\n)([\s\S]*?)(```)/g;

let drift = 0;
for (const guide of GUIDES) {
  const path = join(root, guide);
  const text = readFileSync(path, 'utf8');
  const synced = text.replace(SAMPLE, (_all, head, file, body, tail) => {
    const source = readFileSync(join(root, file), 'utf8');
    if (body !== source) {
      drift += 1;
      process.stderr.write(`${guide}: the sample of ${file} differs from the file\n`);
    }
    return `${head}${source}${tail}`;
  });
  if (!process.argv.includes('--check') && synced !== text) {
    writeFileSync(path, synced);
    process.stdout.write(`updated ${guide}\n`);
  }
}
if (process.argv.includes('--check') && drift > 0) process.exit(1);
