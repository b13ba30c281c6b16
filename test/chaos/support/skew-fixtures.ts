/*
 * The version-skew fixtures are TypeScript (typechecked with the tests); host processes run
 * plain node, so they get the compiled files. tsc takes well under a second for them.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../e2e/support/deployment.js';

const FIXTURES = path.join(repoRoot, 'test/chaos/fixtures');

/** Compiles the fixtures and returns the paths the hosts load as `COORDINATOR_EXTENSIONS`. */
export async function buildSkewFixtures(): Promise<{ older: string; newer: string }> {
  const tsc = path.join(repoRoot, 'node_modules/typescript-7/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', path.join(FIXTURES, 'tsconfig.json')], {
      cwd: repoRoot,
      timeout: 60_000,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`compiling the skew fixtures failed (run \`pnpm build\` first?):\n${stdout}${stderr}`, {
      cause: error,
    });
  }
  return { older: path.join(FIXTURES, 'dist/skew-v1.js'), newer: path.join(FIXTURES, 'dist/skew-v2.js') };
}
