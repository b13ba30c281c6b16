import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_VERSION } from '../contract/core-version.js';
import { defineExtension } from '../contract/define-extension.js';
import { defineSignal } from '../contract/define-signal.js';
import { defineTask } from '../contract/define-task.js';
import { extensionNameProblem, extensionNames } from './extension-name.js';
import { runCli, type CliIo } from './run-cli.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const EXAMPLE = 'examples/extension-loyalty';
const EXAMPLE_ARGS = ['new-extension', 'loyalty', '--scope', '@acme', '--dir', EXAMPLE];
const REGENERATE = `pnpm build && rm -rf ${EXAMPLE} && node packages/core/dist/cli/coordinator.js ${EXAMPLE_ARGS.join(' ')}`;
/** Install and build output a developer may have in the example; never part of it. */
const NOT_SOURCE = new Set(['node_modules', 'dist', 'package-lock.json', 'coverage']);

let work: string;
let out: string[];
let err: string[];
let io: CliIo;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'coordinator-new-extension-'));
  out = [];
  err = [];
  io = { out: (line) => out.push(line), err: (line) => err.push(line), cwd: work };
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function files(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .filter((entry) => !NOT_SOURCE.has(entry.name) && !entry.name.endsWith('.tgz'))
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? files(dir, path) : [path];
    })
    .sort();
}

const read = (...parts: string[]) => readFileSync(join(...parts), 'utf8');
const readJson = <T>(...parts: string[]) => JSON.parse(read(...parts)) as T;

interface PackageJson {
  name: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

describe(`coordinator new-extension writes ${EXAMPLE}`, () => {
  it('byte for byte, so the template and the committed example never drift', async () => {
    expect(await runCli(EXAMPLE_ARGS, io)).toBe(0);
    const generated = join(work, EXAMPLE);
    const example = join(repoRoot, EXAMPLE);

    const expected = files(generated);
    const actual = files(example);
    const differences = [
      ...expected.filter((f) => !actual.includes(f)).map((f) => `missing from the example: ${f}`),
      ...actual.filter((f) => !expected.includes(f)).map((f) => `not written by the template: ${f}`),
      ...expected
        .filter((f) => actual.includes(f) && read(generated, f) !== read(example, f))
        .map((f) => `differs: ${f}`),
    ];
    if (differences.length > 0) {
      throw new Error(
        `${EXAMPLE} is not what \`coordinator ${EXAMPLE_ARGS.join(' ')}\` writes:\n  ${differences.join('\n  ')}\n` +
          `When the template change is intended, regenerate the example from the repository root:\n  ${REGENERATE}`,
      );
    }
    expect(expected).toContain('src/loyalty.extension.spec.ts');
  });
});

describe('coordinator new-extension', () => {
  it('prints each file it writes and the next steps', async () => {
    expect(await runCli(['new-extension', 'loyalty', '--scope', '@acme'], io)).toBe(0);
    const dir = 'coordinator-extension-loyalty';
    const written = files(join(work, dir));
    expect(out.filter((line) => line.startsWith('  create ')).sort()).toEqual(
      written.map((f) => `  create ${dir}/${f}`).sort(),
    );
    expect(written).toEqual(
      expect.arrayContaining(['.changeset/config.json', '.changeset/README.md', '.gitignore', 'package.json']),
    );
    expect(out).toContain(`  cd ${dir}`);
    expect(out).toContain('  COORDINATOR_EXTENSIONS=@acme/coordinator-extension-loyalty');
    expect(err).toEqual([]);
  });

  it('depends on the published @coordinator/* of this core and on the repository tool versions', async () => {
    expect(await runCli(['new-extension', 'loyalty', '--scope', 'acme', '--dir', 'x'], io)).toBe(0);
    const pkg = readJson<PackageJson>(work, 'x', 'package.json');
    const root = readJson<PackageJson>(repoRoot, 'package.json');
    const payments = readJson<PackageJson>(repoRoot, 'packages/extension-payments/package.json');

    expect(pkg.name).toBe('@acme/coordinator-extension-loyalty');
    expect(pkg.dependencies).toEqual({ '@coordinator/core': `^${CORE_VERSION}` });
    expect(pkg.devDependencies['@coordinator/testing']).toBe(`^${CORE_VERSION}`);
    expect(JSON.stringify(pkg)).not.toContain('workspace:');
    expect(pkg.peerDependencies).toEqual(payments.peerDependencies);
    for (const tool of ['jest', '@jest/globals', '@swc/core', '@swc/jest', '@changesets/cli', '@types/node']) {
      expect([tool, pkg.devDependencies[tool]]).toEqual([tool, root.devDependencies[tool]]);
    }
    // The root installs TypeScript 7 under an alias (plain `typescript` is 6, for linting).
    expect(`npm:typescript@${pkg.devDependencies['typescript']}`).toBe(root.devDependencies['typescript-7']);
    for (const peer of Object.keys(pkg.peerDependencies)) {
      expect(pkg.devDependencies[peer]).toBe(pkg.peerDependencies[peer]);
    }
    expect(pkg.scripts['test']).toBe('NODE_OPTIONS=--experimental-vm-modules jest');
    expect(read(work, 'x', 'src/index.ts')).toContain(`coreRange: '^${CORE_VERSION}'`);
  });

  it('uses names the extension contract accepts, for a name with dashes and no scope', async () => {
    expect(await runCli(['new-extension', 'gift-cards', '--dir', 'gc'], io)).toBe(0);
    const dir = join(work, 'gc');
    expect(readJson<PackageJson>(dir, 'package.json').name).toBe('coordinator-extension-gift-cards');
    expect(readJson<{ access: string }>(dir, '.changeset/config.json').access).toBe('public');
    expect(read(dir, 'src/gift-cards.controller.ts')).toContain('export class GiftCardsController');

    const names = (file: string) => [...read(dir, file).matchAll(/\bname: '([^']+)'/g)].map((m) => m[1]!);
    const [extensionName] = names('src/index.ts');
    const taskNames = [...names('src/tasks/record-entry.task.ts'), ...names('src/tasks/confirm-entry.task.ts')];
    const [signalName] = names('src/signals/entry-recorded.signal.ts');
    expect([extensionName, taskNames, signalName]).toEqual([
      'gift-cards',
      ['gift-cards.record-entry', 'gift-cards.confirm-entry'],
      'gift-cards-entry.recorded',
    ]);
    class Payload {}
    class Handler {
      async run() {}
    }
    // These throw when a name breaks the contract's rules.
    for (const name of taskNames) defineTask({ name, payload: Payload, handler: Handler });
    defineSignal({ name: signalName!, payload: Payload });
    defineExtension({ name: extensionName!, version: '0.1.0', coreRange: `^${CORE_VERSION}` });
  });

  it.each([
    ['Loyalty', 'upper case'],
    ['1loyalty', 'a leading digit'],
    ['loyalty_points', 'an underscore'],
    ['loyalty-', 'a trailing dash'],
    ['-loyalty', 'a leading dash'],
    ['loyalty--points', 'a doubled dash'],
    ['@acme/loyalty', 'a package name'],
    ['x'.repeat(41), 'more than 40 characters'],
  ])('refuses the name %j (%s), writing nothing', async (name) => {
    // After `--`, so that "-loyalty" reaches the name check instead of being read as an option.
    expect(await runCli(['new-extension', '--dir', 'out', '--', name], io)).toBe(2);
    expect(err[0]).toMatch(/^coordinator: extension name ".*" (must be lower-case letters|is longer than 40)/);
    expect(readdirSync(work)).toEqual([]);
  });

  it('accepts letters, digits and single dashes', () => {
    for (const name of ['loyalty', 'gift-cards', 'b2b', 'tax-2025-eu'])
      expect(extensionNameProblem(name)).toBeUndefined();
    expect(extensionNames('tax-2025-eu', '@acme')).toEqual({
      name: 'tax-2025-eu',
      pascalName: 'Tax2025Eu',
      scope: '@acme',
      packageName: '@acme/coordinator-extension-tax-2025-eu',
    });
  });

  it('refuses a bad scope, a missing name and unknown options', async () => {
    expect(await runCli(['new-extension', 'loyalty', '--scope', '@Acme'], io)).toBe(2);
    expect(await runCli(['new-extension'], io)).toBe(2);
    expect(await runCli(['new-extension', 'loyalty', '--force'], io)).toBe(2);
    expect(await runCli(['old-extension', 'loyalty'], io)).toBe(2);
    expect(err.filter((line) => !line.startsWith('Run '))).toEqual([
      'coordinator: scope "@Acme" must look like "@acme": an @ followed by lower-case letters, digits, dots, dashes or underscores',
      'coordinator: new-extension needs a name, like "coordinator new-extension loyalty"',
      expect.stringContaining("coordinator: Unknown option '--force'"),
      'coordinator: unknown command "old-extension"',
    ]);
    expect(readdirSync(work)).toEqual([]);
  });

  it('refuses to write into a non-empty directory, leaving it as it was', async () => {
    mkdirSync(join(work, 'taken'));
    writeFileSync(join(work, 'taken', 'notes.txt'), 'mine');
    expect(await runCli(['new-extension', 'loyalty', '--dir', 'taken'], io)).toBe(1);
    expect(err).toEqual([
      `coordinator: refusing to overwrite: ${join(work, 'taken')} is not empty (1 entry): nothing was written; choose another --dir or empty it first`,
    ]);
    expect(readdirSync(join(work, 'taken'))).toEqual(['notes.txt']);
    expect(read(work, 'taken', 'notes.txt')).toBe('mine');
    expect(out).toEqual([]);
  });

  it('writes into an existing empty directory', async () => {
    mkdirSync(join(work, 'empty'));
    expect(await runCli(['new-extension', 'loyalty', '--dir', 'empty'], io)).toBe(0);
    expect(files(join(work, 'empty'))).toContain('src/index.ts');
  });

  it('explains itself with --help', async () => {
    expect(await runCli(['--help'], io)).toBe(0);
    expect(await runCli(['new-extension', '--help'], io)).toBe(0);
    expect(out.join('\n')).toContain('Usage: coordinator <command> [options]');
    expect(out.join('\n')).toContain('Usage: coordinator new-extension <name> [--scope @acme] [--dir path]');
    expect(readdirSync(work)).toEqual([]);
  });
});
