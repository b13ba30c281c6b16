// Reading a V8 .cpuprofile (node --cpu-prof) for the bench's summaries: the samples' time per
// node within a window, and which package a frame belongs to.
import { readFileSync } from 'node:fs';

/**
 * The profile at `file`, with each node's self time between `fromS` and `toS` seconds after the
 * profile started. `busyUs` leaves out the idle samples.
 */
export function readProfile(file, { fromS = 0, toS = Infinity } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfUs = new Map();
  // timeDeltas[i] is the time since the previous sample: it is charged to the sample it leads to.
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= fromS * 1e6 && at <= toS * 1e6) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    totalUs += us;
    if (isIdle(byId.get(id).callFrame)) idleUs += us;
  }
  return { byId, parentOf, selfUs, totalUs, busyUs: totalUs - idleUs };
}

export function isIdle(callFrame) {
  return callFrame.functionName === '(idle)';
}

/** `…/node_modules/.pnpm/x@1/node_modules/@scope/name/…` → `@scope/name`; workspace packages by folder. */
export function packageOf(url) {
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
