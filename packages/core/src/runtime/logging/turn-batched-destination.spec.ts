import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { turnBatched } from './turn-batched-destination.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function recording() {
  const writes: string[] = [];
  return { writes, target: { write: (chunk: string) => void writes.push(chunk) } };
}

describe('turnBatched', () => {
  it('writes the lines of one turn together, in order, once the turn is over', async () => {
    const { writes, target } = recording();
    const destination = turnBatched(target);
    destination.write('a\n');
    destination.write('b\n');
    destination.write('c\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n']);
  });

  it('writes the lines of a later turn separately', async () => {
    const { writes, target } = recording();
    const destination = turnBatched(target);
    destination.write('first\n');
    await nextTurn();
    destination.write('second\n');
    await nextTurn();
    expect(writes).toEqual(['first\n', 'second\n']);
  });

  it('writes what is pending when the process exits in the middle of a turn', () => {
    // The built module: the child process runs plain JavaScript.
    const built = fileURLToPath(new URL('../../../dist/runtime/logging/turn-batched-destination.js', import.meta.url));
    const script = `
      const { turnBatched } = await import(${JSON.stringify(built)});
      const { default: pino } = await import('pino');
      const logger = pino({ base: null, timestamp: false }, turnBatched(pino.destination({ dest: 1, sync: true })));
      for (let i = 1; i <= 3; i++) logger.info('line ' + i);
      process.exit(3);
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NODE_OPTIONS: '' },
    });
    expect(child.status).toBe(3);
    expect(
      child.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
    ).toEqual(['line 1', 'line 2', 'line 3']);
  });
});
