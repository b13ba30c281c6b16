#!/usr/bin/env node
// Where a process spent its CPU, from a V8 .cpuprofile (node --cpu-prof): self time by package
// and the functions with the most self time.
//
//   BENCH_CASES=enqueue BENCH_ROUNDS=1 BENCH_PROFILE_DIR=/tmp/prof node bench/run.mjs
//   node bench/profile-summary.mjs /tmp/prof/CPU.*.cpuprofile [--top 30] [--from 12] [--to 22]
//
// --from/--to keep the samples between those seconds after the profile started (e.g. skip start-up
// and warm-up: the harness prints when the host was ready).
import { readFileSync } from 'node:fs';
import process from 'node:process';

const args = process.argv.slice(2);
const options = {};
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) options[args[i].slice(2)] = Number(args[++i]);
  else files.push(args[i]);
}
const top = options.top ?? 25;
const fromUs = (options.from ?? 0) * 1e6;
const toUs = (options.to ?? Infinity) * 1e6;
if (files.length === 0) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile>... [--top N] [--from s] [--to s]\n');
  process.exit(2);
}

/** `…/node_modules/.pnpm/x@1/node_modules/@scope/name/…` → `@scope/name`; workspace packages by folder. */
function packageOf(url) {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return 'node (built-in)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  const workspace = /\/(packages|bench|examples)\/([^/]+)\//.exec(url);
  if (workspace) return `${workspace[1]}/${workspace[2]}`;
  return url;
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  // timeDeltas[i] is the time since the previous sample: it is charged to the sample it leads to.
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= fromUs && at <= toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idleUs = [...selfUs]
    .filter(([id]) => byId.get(id).callFrame.functionName === '(idle)')
    .reduce((a, [, us]) => a + us, 0);
  const busyUs = totalUs - idleUs;

  // Inclusive: each sample counts once for every package on its stack (callers included).
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    if (byId.get(id).callFrame.functionName === '(idle)') continue;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const { url } = byId.get(at).callFrame;
      if (url) seen.add(packageOf(url));
    }
    for (const pkg of seen) inclusive.set(pkg, (inclusive.get(pkg) ?? 0) + us);
  }

  const functions = new Map();
  const packages = new Map();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    if (functionName === '(idle)') continue;
    const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(packages|bench)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const pkg = /^\((garbage collector|program)\)$/.test(functionName) ? functionName : packageOf(url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const pct = (us) => `${((100 * us) / busyUs).toFixed(1).padStart(5)}%`;
  const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  process.stdout.write(
    `\n${file}${options.from || options.to ? ` (${options.from ?? 0} s to ${options.to ?? 'end'})` : ''}\n  ${(totalUs / 1e6).toFixed(1)} s profiled, ${(busyUs / 1e6).toFixed(1)} s busy (${((100 * busyUs) / totalUs).toFixed(0)}%); shares below are of busy time\n`,
  );
  process.stdout.write('\n  self time by package\n');
  for (const [pkg, us] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    process.stdout.write(`  ${pct(us)} ${ms(us)}  ${pkg}\n`);
  }
  process.stdout.write('\n  inclusive time by package (time with one of its functions on the stack)\n');
  for (const [pkg, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    process.stdout.write(`  ${pct(us)} ${ms(us)}  ${pkg}\n`);
  }
  process.stdout.write(`\n  top ${top} functions by self time\n`);
  for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`  ${pct(us)} ${ms(us)}  ${name}\n`);
  }
}
