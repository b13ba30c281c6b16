#!/usr/bin/env node
// The release check: proves that a team outside this repository can build, test, publish and deploy an
// extension with nothing but what a release publishes. Everything happens in a fresh directory under the
// OS temp dir, with npm (not pnpm, not the workspace):
//
//   a. `pnpm build`, then `pnpm pack` every packages/* (pnpm turns `workspace:` ranges into versions);
//   b. a copy of examples/extension-loyalty whose @coordinator/* dependencies point at those tarballs
//      (`file:` specs plus npm `overrides`, in the copy only): npm install, build, test in both modes
//      (REDIS_URL is set), npm pack; and `coordinator new-extension` from the packed core must write
//      exactly the committed example;
//   c. a deployment package depending on the packed hosts and the packed extension: npm install, Redis,
//      coordinator-api and coordinator-worker started with plain node from their bins, one request to the
//      extension's endpoint, and GET /tasks/:id until the task and the handler of the signal it emitted
//      completed.
//
//   make release-check                    # = make build, then node scripts/release-check.mjs
//   KEEP=1 make release-check             # keep the temp dir (tarballs, extension, deployment) to look at
//   REDIS_URL=redis://… make release-check  # use that Redis instead of starting a private redis-server
//
// Exits non-zero on any failure, printing what failed and the last output of the command or host. Every
// process it starts runs in its own process group and is stopped by pid (SIGTERM, then SIGKILL) at the
// end, on failure and on Ctrl-C. Only 127.0.0.1 is used, apart from npm's registry. Needs network access
// to the npm registry for the two `npm install`s; the whole check takes about a minute (most of it npm install).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startRedis } from './redis.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = 'examples/extension-loyalty';
const EXAMPLE_ARGS = ['new-extension', 'loyalty', '--scope', '@acme'];
/** Install and build output: never copied from the example, never compared. */
const NOT_SOURCE = new Set(['node_modules', 'dist', 'package-lock.json', 'coverage']);

const MINUTE = 60_000;
const TIMEOUTS = {
  pnpmBuild: 5 * MINUTE,
  pack: MINUTE,
  npmInstall: 6 * MINUTE,
  npmBuild: 2 * MINUTE,
  npmTest: 3 * MINUTE,
  hostReady: 30_000,
  flow: 30_000,
  /** SIGTERM to SIGKILL: hosts get time to finish in-flight work, commands (npm ignores SIGTERM for a while) less. */
  hostStopGrace: 10_000,
  commandStopGrace: 3_000,
};
const TAIL_LINES = 40;
const OUTPUT_KEEP_BYTES = 256 * 1024;

const KEEP = process.env.KEEP === '1';
/** The deployment's client key, new each run. */
const API_KEY = `cck_${randomBytes(32).toString('base64url')}`;
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
const stamp = () => `[${seconds(Date.now() - started).padStart(6)}]`;
const say = (line) => process.stdout.write(`${line}\n`);
const note = (line) => say(`         ${line}`);
process.stdout.on('error', () => {});

/** A check that did not hold; `details` (a command's or host's output) is printed after the message. */
class CheckFailed extends Error {
  constructor(message, details = '') {
    super(message);
    this.details = details;
  }
}

// ---------------------------------------------------------------------------------------------- processes

/** Every child still running, by pid: each leads its own process group, which is what gets signalled. */
const running = new Map();
/** Set on SIGINT/SIGTERM: nothing new is started, and the failure it causes is not reported as one. */
let interrupted = false;

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Starts `command` in its own process group, keeping the tail of its output. */
function launch(command, args, { cwd, env = process.env, label = command, stopGraceMs = TIMEOUTS.commandStopGrace }) {
  if (interrupted) throw new CheckFailed(`interrupted: not starting ${label}`);
  // Output is kept to be read later (on failure): no colour codes in it.
  const plain = { ...env, FORCE_COLOR: '0', NO_COLOR: '1' };
  const child = spawn(command, args, { cwd, env: plain, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let stdout = '';
  const keep = (chunk) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEEP_BYTES);
  };
  child.stdout.on('data', (chunk) => {
    keep(chunk);
    stdout = (stdout + chunk.toString('utf8')).slice(-OUTPUT_KEEP_BYTES);
  });
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const proc = {
    label,
    pid: child.pid,
    exited,
    status: undefined,
    output: () => output,
    stdout: () => stdout,
    async stop() {
      if (proc.status === undefined && proc.pid !== undefined) {
        signalGroup(proc.pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(proc.pid, 'SIGKILL'), stopGraceMs);
        await exited;
        clearTimeout(timer);
      }
      // The leader may exit before the rest of its group (npm before jest): make sure nothing is left.
      if (proc.pid !== undefined) signalGroup(proc.pid, 'SIGKILL');
      running.delete(proc.pid);
    },
  };
  if (child.pid !== undefined) running.set(child.pid, proc);
  void exited.then((status) => {
    proc.status = status;
  });
  return proc;
}

function tail(text, lines = TAIL_LINES) {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

function describeExit(status) {
  if (status.error) return `could not start: ${status.error.message}`;
  return status.code !== null ? `exited with ${status.code}` : `was killed by ${status.signal}`;
}

/** Runs a command to its end within `timeoutMs`; resolves to its stdout, throws CheckFailed (with its output) otherwise. */
async function run(command, args, { cwd, env, timeoutMs }) {
  const label = `${command} ${args.join(' ')}`;
  const proc = launch(command, args, { cwd, env, label });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.stop();
  }, timeoutMs);
  const status = await proc.exited;
  clearTimeout(timer);
  await proc.stop();
  if (timedOut) throw new CheckFailed(`${label} (in ${cwd}) took longer than ${seconds(timeoutMs)}`, proc.output());
  if (status.error || status.code !== 0) {
    throw new CheckFailed(`${label} (in ${cwd}) ${describeExit(status)}`, proc.output());
  }
  return proc.stdout();
}

/** `run`, with a progress line saying how long it took. */
async function timed(title, command, args, options) {
  const begin = Date.now();
  const output = await run(command, args, options);
  note(`${title} (${seconds(Date.now() - begin)})`);
  return output;
}

// ------------------------------------------------------------------------------------------------ helpers

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Relative paths of every file below `dir`, sorted, leaving out install and build output. */
function sourceFiles(dir, prefix = '') {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .filter((entry) => !NOT_SOURCE.has(entry.name) && !entry.name.endsWith('.tgz'))
    .flatMap((entry) => {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? sourceFiles(dir, rel) : [rel];
    })
    .sort();
}

/** Where two trees differ (missing, extra or changed files), or an empty list. */
function treeDifferences(expectedDir, actualDir) {
  const expected = sourceFiles(expectedDir);
  const actual = sourceFiles(actualDir);
  const differences = [
    ...expected.filter((f) => !actual.includes(f)).map((f) => `missing ${f}`),
    ...actual.filter((f) => !expected.includes(f)).map((f) => `extra ${f}`),
  ];
  for (const file of expected.filter((f) => actual.includes(f))) {
    if (!readFileSync(path.join(expectedDir, file)).equals(readFileSync(path.join(actualDir, file)))) {
      differences.push(`changed ${file}`);
    }
  }
  return differences;
}

/**
 * Checks that every @coordinator/* package in an npm install came from our tarballs and exists once: two
 * copies of core would give two `TaskDispatcher` classes, and Nest's injection would not find one.
 */
function checkCoordinatorPackages(dir, packs) {
  const lock = readJson(path.join(dir, 'node_modules/.package-lock.json'));
  const copies = new Map();
  for (const [location, entry] of Object.entries(lock.packages)) {
    const match = /(?:^|\/)node_modules\/(@coordinator\/[^/]+)$/.exec(location);
    if (!match) continue;
    const name = match[1];
    if (!packs.has(name)) throw new CheckFailed(`${dir}: ${name} is not one of the packed packages`);
    if (!String(entry.resolved ?? '').startsWith('file:')) {
      throw new CheckFailed(`${dir}: ${location} came from ${entry.resolved ?? 'unknown'}, not from the tarballs`);
    }
    copies.set(name, [...(copies.get(name) ?? []), location]);
  }
  for (const [name, locations] of copies) {
    if (locations.length > 1) throw new CheckFailed(`${dir}: ${name} is installed twice: ${locations.join(', ')}`);
  }
  return [...copies.keys()].sort();
}

/** The package.json of the copied example, or of the deployment: @coordinator/* from the tarballs. */
function pointAtPacks(pkg, packs) {
  const spec = (name) => `file:${packs.get(name).file}`;
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of Object.keys(pkg[field] ?? {})) {
      // npm accepts an override for a direct dependency only when both specs are the same string.
      if (packs.has(name) && field !== 'peerDependencies') pkg[field][name] = spec(name);
    }
  }
  pkg.overrides = { ...pkg.overrides };
  for (const name of packs.keys()) pkg.overrides[name] = spec(name);
  return pkg;
}

const NPM_FLAGS = ['--no-audit', '--no-fund', '--no-update-notifier'];
// Registry metadata already in npm's cache is used without asking the registry again (faster repeated runs).
const INSTALL_FLAGS = [...NPM_FLAGS, '--prefer-offline'];

// ------------------------------------------------------------------------------------------------- steps

/** a. Builds the workspace and packs every package; resolves to name → { version, file }. */
async function packWorkspace(work) {
  await timed('pnpm build', 'pnpm', ['build'], { cwd: ROOT, timeoutMs: TIMEOUTS.pnpmBuild });
  const packsDir = path.join(work, 'packs');
  mkdirSync(packsDir);
  const packs = new Map();
  for (const dir of readdirSync(path.join(ROOT, 'packages')).sort()) {
    const pkgDir = path.join(ROOT, 'packages', dir);
    let pkg;
    try {
      pkg = readJson(path.join(pkgDir, 'package.json'));
    } catch {
      continue;
    }
    if (pkg.private) continue;
    const before = new Set(readdirSync(packsDir));
    await run('pnpm', ['pack', '--pack-destination', packsDir], { cwd: pkgDir, timeoutMs: TIMEOUTS.pack });
    const made = readdirSync(packsDir).filter((f) => !before.has(f));
    if (made.length !== 1) throw new CheckFailed(`pnpm pack in packages/${dir} made ${made.length} tarballs`);
    const file = path.join(packsDir, made[0]);
    packs.set(pkg.name, { version: pkg.version, file });
    note(`packed ${pkg.name}@${pkg.version} → packs/${made[0]}`);
  }
  return packs;
}

/** b. The example as an outside team's package; resolves to its tarball. */
async function checkExtension(work, packs, redisUrl) {
  const dir = path.join(work, 'extension-loyalty');
  cpSync(path.join(ROOT, EXAMPLE), dir, {
    recursive: true,
    filter: (src) => !NOT_SOURCE.has(path.basename(src)) && !src.endsWith('.tgz'),
  });
  const pkg = pointAtPacks(readJson(path.join(dir, 'package.json')), packs);
  writeJson(path.join(dir, 'package.json'), pkg);
  note(`copied ${EXAMPLE} → ${dir}, @coordinator/* pointed at the tarballs`);

  await timed('npm install', 'npm', ['install', ...INSTALL_FLAGS], { cwd: dir, timeoutMs: TIMEOUTS.npmInstall });
  note(`${checkCoordinatorPackages(dir, packs).join(', ')}: from the tarballs, one copy each`);

  // The packed core's `coordinator` bin and templates must reproduce the committed example.
  const scaffolded = path.join(work, 'scaffolded');
  await run(process.execPath, [path.join(dir, 'node_modules/.bin/coordinator'), ...EXAMPLE_ARGS, '--dir', scaffolded], {
    cwd: work,
    timeoutMs: TIMEOUTS.pack,
  });
  const differences = treeDifferences(path.join(ROOT, EXAMPLE), scaffolded);
  if (differences.length > 0) {
    throw new CheckFailed(
      `\`coordinator ${EXAMPLE_ARGS.join(' ')}\` from the packed core does not reproduce ${EXAMPLE}`,
      differences.join('\n'),
    );
  }
  note(`coordinator ${EXAMPLE_ARGS.join(' ')} (packed core) writes exactly ${EXAMPLE}`);

  await timed('npm run build', 'npm', ['run', 'build'], { cwd: dir, timeoutMs: TIMEOUTS.npmBuild });

  const results = path.join(work, 'jest-results.json');
  const begin = Date.now();
  await run('npm', ['test', '--', '--ci', '--json', `--outputFile=${results}`], {
    cwd: dir,
    env: { ...process.env, REDIS_URL: redisUrl, CI: 'true' },
    timeoutMs: TIMEOUTS.npmTest,
  });
  const report = readJson(results);
  const byMode = (mode) =>
    report.testResults
      .flatMap((file) => file.assertionResults)
      .filter((test) => test.status === 'passed' && test.ancestorTitles.some((t) => t.includes(`(${mode} mode)`)));
  const [inline, redis] = [byMode('inline').length, byMode('redis').length];
  if (report.numFailedTests > 0 || report.numPendingTests > 0 || inline === 0 || redis === 0) {
    throw new CheckFailed(
      `npm test: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped ` +
        `(${inline} inline, ${redis} redis): every test must pass in both modes`,
    );
  }
  note(
    `npm test with REDIS_URL: ${report.numPassedTests} passed (${inline} inline, ${redis} redis) (${seconds(Date.now() - begin)})`,
  );

  const packsDir = path.join(work, 'packs');
  const packed = await timed('npm pack', 'npm', ['pack', '--json', '--pack-destination', packsDir, ...NPM_FLAGS], {
    cwd: dir,
    timeoutMs: TIMEOUTS.npmBuild,
  });
  const [info] = JSON.parse(packed.slice(packed.indexOf('[')));
  // What a published extension should hold: its build, and what npm always adds (package.json, README…).
  const paths = info.files.map((f) => f.path);
  const stray = paths.filter(
    (f) => !/^(dist\/|package\.json$|README|LICENSE|CHANGELOG)/i.test(f) || f.includes('.spec.'),
  );
  if (!paths.includes('dist/index.js') || !paths.includes('dist/index.d.ts') || stray.length > 0) {
    throw new CheckFailed(
      `npm pack of ${pkg.name}: expected dist/ (index.js, index.d.ts, no specs), package.json and README.md`,
      paths.join('\n'),
    );
  }
  note(`packed ${info.name}@${info.version} → packs/${info.filename} (${info.files.length} files)`);
  return { name: info.name, file: path.join(packsDir, info.filename) };
}

/** Polls GET /tasks/:id until the task is completed; throws when it failed or the deadline passed. */
async function waitForTask(api, taskId, deadline) {
  let last;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${api}/tasks/${encodeURIComponent(taskId)}`, {
        headers: { authorization: `Bearer ${API_KEY}` },
        signal: AbortSignal.timeout(2_000),
      });
      last = response.status === 200 ? await response.json() : { httpStatus: response.status };
    } catch (error) {
      last = { error: error.message };
    }
    if (last.state === 'completed') return last;
    if (last.state === 'failed')
      throw new CheckFailed(`task ${taskId} failed: ${last.failureReason}`, JSON.stringify(last, null, 2));
    await sleep(100);
  }
  throw new CheckFailed(
    `task ${taskId} did not complete within ${seconds(TIMEOUTS.flow)}; last seen: ${JSON.stringify(last)}`,
  );
}

/** c. A deployment of the packed hosts and extension, and one request through it. */
async function checkDeployment(work, packs, extension, redisUrl, hosts) {
  const dir = path.join(work, 'deploy');
  mkdirSync(dir);
  const hostsVersion = packs.get('@coordinator/api-host').version;
  const pkg = pointAtPacks(
    {
      name: 'coordinator-deployment',
      private: true,
      dependencies: {
        '@coordinator/api-host': `^${hostsVersion}`,
        '@coordinator/worker-host': `^${hostsVersion}`,
        [extension.name]: `file:${extension.file}`,
      },
    },
    packs,
  );
  writeJson(path.join(dir, 'package.json'), pkg);
  await timed('npm install (hosts + packed extension)', 'npm', ['install', '--omit=dev', ...INSTALL_FLAGS], {
    cwd: dir,
    timeoutMs: TIMEOUTS.npmInstall,
  });
  note(`${checkCoordinatorPackages(dir, packs).join(', ')}: from the tarballs, one copy each`);

  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    REDIS_URL: redisUrl,
    COORDINATOR_EXTENSIONS: extension.name,
    // The API host is given the key's hash, never the key.
    COORDINATOR_API_KEYS: JSON.stringify([
      { id: 'release-check', sha256: sha256(API_KEY), scopes: ['loyalty:write', 'tasks:read'] },
    ]),
    HOST: '127.0.0.1',
    SHUTDOWN_GRACE_MS: '3000',
  };
  const apiPort = await freePort();
  const healthPort = await freePort();
  const api = await startHost(hosts, 'coordinator-api', dir, { ...env, PORT: String(apiPort) }, apiPort);
  await startHost(hosts, 'coordinator-worker', dir, { ...env, HEALTH_PORT: String(healthPort) }, healthPort);

  const entry = { entryId: `release-check-${Date.now()}`, customerId: 'c-1', amount: 250 };
  const response = await fetch(`${api}/loyalty/entries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify(entry),
    signal: AbortSignal.timeout(5_000),
  });
  const receipt = await response.json().catch(() => undefined);
  if (response.status !== 202 || typeof receipt?.taskId !== 'string') {
    throw new CheckFailed(`POST /loyalty/entries answered ${response.status}: ${JSON.stringify(receipt)}`);
  }
  note(`POST /loyalty/entries → 202, task ${receipt.taskId}`);

  const deadline = Date.now() + TIMEOUTS.flow;
  const task = await waitForTask(api, receipt.taskId, deadline);
  note(`${task.task} completed (attempt ${task.attemptsMade}/${task.maxAttempts}): ${JSON.stringify(task.result)}`);
  const handlerIds = (task.emitted ?? []).flatMap((signal) => signal.taskIds.map((id) => [signal.signal, id]));
  if (handlerIds.length === 0) {
    throw new CheckFailed(`${task.task} emitted no signal with a handler: ${JSON.stringify(task.emitted)}`);
  }
  for (const [signal, id] of handlerIds) {
    const handler = await waitForTask(api, id, deadline);
    note(`${signal} → ${handler.task} completed (attempt ${handler.attemptsMade}): ${JSON.stringify(handler.result)}`);
  }
}

async function startHost(hosts, bin, cwd, env, port) {
  const begin = Date.now();
  // Plain node on the bin npm linked, as a deployment would run it.
  const proc = launch(process.execPath, [path.join(cwd, 'node_modules/.bin', bin)], {
    cwd,
    env,
    label: bin,
    stopGraceMs: TIMEOUTS.hostStopGrace,
  });
  hosts.push(proc);
  const url = `http://127.0.0.1:${port}`;
  while (true) {
    if (proc.status !== undefined) throw new CheckFailed(`${bin} ${describeExit(proc.status)} before it was ready`);
    if (Date.now() - begin > TIMEOUTS.hostReady) {
      throw new CheckFailed(`${bin} was not ready within ${seconds(TIMEOUTS.hostReady)}`);
    }
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  note(`${bin} (pid ${proc.pid}) ready on ${url} (${seconds(Date.now() - begin)})`);
  return url;
}

// -------------------------------------------------------------------------------------------------- main

let cleaning;
/** Stops every process started here, the Redis we started, and removes the work dir unless KEEP=1. */
function cleanUp(work, redisRef) {
  cleaning ??= (async () => {
    await Promise.all([...running.values()].map((proc) => proc.stop()));
    await redisRef.redis?.stop();
    if (work) {
      if (KEEP) say(`KEEP=1: left ${work}`);
      else rmSync(work, { recursive: true, force: true });
    }
  })();
  return cleaning;
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'coordinator-release-check-'));
  const redisRef = { redis: undefined };
  const hosts = [];
  const onSignal = (signal) => {
    interrupted = true;
    say(`\n${signal}: stopping everything started here`);
    void cleanUp(work, redisRef).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Last resort if this process exits some other way: nothing it started may outlive it.
  process.once('exit', () => {
    for (const pid of running.keys()) signalGroup(pid, 'SIGKILL');
  });

  say(`release-check: node ${process.version}; work dir ${work}`);
  let exitCode = 0;
  try {
    say(`==> ${stamp()} a. build the workspace and pack every package`);
    const packs = await packWorkspace(work);

    let redisUrl = process.env.REDIS_URL;
    if (redisUrl) {
      note(`using REDIS_URL ${redisUrl}`);
    } else {
      redisRef.redis = await startRedis();
      redisUrl = redisRef.redis.url;
      note(`started redis-server (pid ${redisRef.redis.pid}) on ${redisUrl}`);
    }

    say(`==> ${stamp()} b. ${EXAMPLE} as an outside package, against the tarballs`);
    const extension = await checkExtension(work, packs, redisUrl);

    say(`==> ${stamp()} c. a deployment of the packed hosts and ${extension.name}`);
    await checkDeployment(work, packs, extension, redisUrl, hosts);

    say(`PASS ${stamp()} built, tested, packed and deployed ${extension.name} from the packed @coordinator/* packages`);
  } catch (error) {
    exitCode = 1;
    if (interrupted) return exitCode;
    say(`FAIL ${stamp()} ${error.message}`);
    if (error instanceof CheckFailed) {
      if (error.details) say(tail(error.details).replace(/^/gm, '    '));
    } else {
      say(String(error.stack ?? error));
    }
    for (const host of hosts) {
      say(`--- last output of ${host.label} (pid ${host.pid}) ---`);
      say(tail(host.output()) || '(none)');
    }
  } finally {
    await cleanUp(work, redisRef);
  }
  say(`release-check: ${exitCode === 0 ? 'passed' : 'failed'} in ${seconds(Date.now() - started)}`);
  return exitCode;
}

process.exitCode = await main();
