/*
 * What must not change while the host parses hostile input in this process: no
 * prototype gains a property, and nothing escapes as an uncaught exception or an
 * unhandled rejection. Under Jest the test runs in a vm context with its own built-ins,
 * while Node's own code uses the main realm's, so both realms are watched.
 */
import vm from 'node:vm';

const PROTOTYPES = [
  'Object',
  'Array',
  'Function',
  'String',
  'Number',
  'Boolean',
  'RegExp',
  'Promise',
  'Error',
  'Date',
  'Map',
  'Set',
];

/** Names probed on fresh objects: what the attacks in body-cases.ts try to plant. */
const PROBES = ['polluted', 'isAdmin'];

type Globals = Record<string, { prototype: object } | undefined> & {
  Object: ObjectConstructor;
  Array: ArrayConstructor;
};

const realms: { name: string; globals: Globals }[] = [
  { name: 'test realm', globals: globalThis as unknown as Globals },
  { name: 'main realm', globals: vm.runInThisContext('globalThis') as Globals },
];

/** The own property names of the built-in prototypes, per realm. */
export type PrototypeSnapshot = Map<string, string[]>;

export function snapshotPrototypes(): PrototypeSnapshot {
  const snapshot: PrototypeSnapshot = new Map();
  for (const realm of realms) {
    for (const name of PROTOTYPES) {
      const keys = Reflect.ownKeys(realm.globals[name]!.prototype).map(String).sort();
      snapshot.set(`${realm.name} ${name}.prototype`, keys);
    }
  }
  return snapshot;
}

/**
 * Differences from the snapshot, and any probe a fresh object or array answers. With
 * `restore`, added properties are removed again, so the next request is judged on its own.
 */
export function pollutionProblems(before: PrototypeSnapshot, { restore = false } = {}): string[] {
  const problems: string[] = [];
  for (const [where, keys] of snapshotPrototypes()) {
    const earlier = before.get(where) ?? [];
    const added = keys.filter((k) => !earlier.includes(k));
    const removed = earlier.filter((k) => !keys.includes(k));
    if (added.length || removed.length) {
      problems.push(`${where} changed: added [${added.join(', ')}], removed [${removed.join(', ')}]`);
    }
    if (restore && added.length) {
      const [realm, name] = where.split(/ (?=\w+\.prototype$)/);
      const prototype = realms.find((r) => r.name === realm)!.globals[name!.replace('.prototype', '')]!.prototype;
      for (const key of added) delete (prototype as Record<string, unknown>)[key];
    }
  }
  for (const realm of realms) {
    const fresh = {
      object: new realm.globals.Object() as Record<string, unknown>,
      array: new realm.globals.Array() as unknown as Record<string, unknown>,
    };
    for (const probe of PROBES) {
      for (const [kind, value] of Object.entries(fresh)) {
        if (value[probe] !== undefined)
          problems.push(`${realm.name}: a fresh ${kind} has .${probe} = ${JSON.stringify(value[probe])}`);
      }
    }
  }
  return problems;
}

/** Collects uncaught exceptions and unhandled rejections of this process until stopped. */
export function watchCrashes(): { crashes: string[]; stop(): void } {
  // Jest hands tests a stand-in `process`; listeners must go on the real one.
  const real = vm.runInThisContext('process') as NodeJS.Process;
  const crashes: string[] = [];
  const describe = (kind: string) => (reason: unknown) =>
    crashes.push(
      `${kind}: ${reason instanceof Error || (reason as Error | null)?.stack ? ((reason as Error).stack ?? String(reason)) : String(reason)}`,
    );
  const onException = describe('uncaughtException');
  const onRejection = describe('unhandledRejection');
  real.on('uncaughtException', onException);
  real.on('unhandledRejection', onRejection);
  return {
    crashes,
    stop: () => {
      real.off('uncaughtException', onException);
      real.off('unhandledRejection', onRejection);
    },
  };
}
