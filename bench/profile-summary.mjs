#!/usr/bin/env node
// Where a process spent its CPU, from a V8 .cpuprofile (node --cpu-prof): self time by package
// and the functions with the most self time.
//
//   BENCH_CASES=enqueue BENCH_ROUNDS=1 BENCH_PROFILE_DIR=/tmp/prof node bench/run.mjs
//   node bench/profile-summary.mjs /tmp/prof/CPU.*.cpuprofile [--top 30] [--from 12] [--to 22] [--per 29000]
//
// --from/--to keep the samples between those seconds after the profile started (e.g. skip start-up
// and warm-up: the harness prints when the host was ready). --per N also shows each time divided by
// N, say the requests or jobs served between --from and --to, to compare a budget per request.
import process from 'node:process';
import { isIdle, packageOf, readProfile } from './lib/cpu-profile.mjs';

const args = process.argv.slice(2);
const options = {};
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) options[args[i].slice(2)] = Number(args[++i]);
  else files.push(args[i]);
}
const top = options.top ?? 25;
if (files.length === 0) {
  process.stderr.write(
    'usage: node bench/profile-summary.mjs <file.cpuprofile>... [--top N] [--from s] [--to s] [--per N]\n',
  );
  process.exit(2);
}

for (const file of files) {
  const { byId, parentOf, selfUs, totalUs, busyUs } = readProfile(file, { fromS: options.from, toS: options.to });

  // Inclusive: each sample counts once for every package on its stack (callers included).
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    if (isIdle(byId.get(id).callFrame)) continue;
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
    const frame = byId.get(id).callFrame;
    if (isIdle(frame)) continue;
    const { functionName, url, lineNumber } = frame;
    const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(packages|bench)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const pkg = /^\((garbage collector|program)\)$/.test(functionName) ? functionName : packageOf(url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const pct = (us) => `${((100 * us) / busyUs).toFixed(1).padStart(5)}%`;
  const per = options.per ? (us) => `${(us / options.per).toFixed(1).padStart(7)} µs each` : () => '';
  const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms${per(us)}`;
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
