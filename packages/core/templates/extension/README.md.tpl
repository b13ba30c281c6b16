# {{packageName}}

The `{{name}}` extension of the Commerce Coordinator. The coordinator's API host accepts
requests and stores the work as tasks in BullMQ queues on Redis; worker hosts, separate
processes, run them. An extension brings its endpoints, its tasks and its signal
handlers; both hosts load it from `COORDINATOR_EXTENSIONS`.

What it does now (a starting point, written by `coordinator new-extension {{name}}`):

- `POST /{{name}}/entries` (`src/{{name}}.controller.ts`) validates the body and
  dispatches the `{{name}}.record-entry` task, answering `202 { taskId, statusUrl }`;
- `{{name}}.record-entry` (`src/tasks/record-entry.task.ts`) records the entry and
  emits the signal `{{name}}-entry.recorded` (`src/signals/entry-recorded.signal.ts`);
- `{{name}}.confirm-entry` (`src/tasks/confirm-entry.task.ts`) handles that signal;
- `src/index.ts` puts them together with `defineExtension`, and
  `src/{{name}}.extension.spec.ts` tests them through HTTP with `@coordinator/testing`.

Rename the entry to what your extension is about. Task names are `{{name}}.<task>`;
signal names are `<subject>.<event>` in the past tense; both are lower-case with dashes.
Extensions never import each other: to react to another extension's signal, subscribe a
task of yours by the signal's name, `onSignal('order.placed', yourTask)`, and give the
task a payload class accepting the fields you need.

## Develop

Needs Node.js 20.19 or later.

```sh
npm install
npm test        # inline mode: tasks run in-process, no Redis needed
npm run build   # tsc: dist/ with .d.ts files
```

The same tests also run against a real Redis, with real BullMQ workers, when `REDIS_URL`
is set; run them so before every release. Any Redis 6.2 or later does, configured like
production with `maxmemory-policy noeviction` (on Debian, `apt-get install redis-server`,
then `redis-server --port 6399 --save '' --maxmemory-policy noeviction`):

```sh
REDIS_URL=redis://127.0.0.1:6399 npm test
```

Jest runs the TypeScript sources through `@swc/jest`, which keeps the decorator metadata
NestJS needs; the test script sets `--experimental-vm-modules` because the package is an
ES module.

## Release

Every change users should hear about adds a changeset (`npx changeset`); see
`.changeset/README.md`. To release: `npx changeset version`, commit, then
`npm run release`, which builds and publishes the package (`npm publish` builds first
too). Publish to the registry your deployments install from.

`@coordinator/core` is the only runtime dependency. `coreRange` in `src/index.ts` names
the core releases the extension works with; hosts running a core outside it refuse to
load it. When you move to a new core, raise the dependency, `coreRange` and
`@coordinator/testing` together and run the tests in both modes.

## Deploy

A deployment is a package that depends on the two hosts and on its chosen extensions:

```json
{
  "private": true,
  "dependencies": {
    "@coordinator/api-host": "^{{coreVersion}}",
    "@coordinator/worker-host": "^{{coreVersion}}",
    "{{packageName}}": "^0.1.0"
  }
}
```

After `npm install`, start both hosts from that directory, each with plain `node`,
configured by the environment (add other extensions to the comma-separated list):

```sh
export REDIS_URL=redis://redis.internal:6379
export COORDINATOR_EXTENSIONS={{packageName}}
npx coordinator-api      # HTTP on PORT (3000)
npx coordinator-worker   # runs the tasks; health on HEALTH_PORT (3001)
```

Then:

```sh
curl -si localhost:3000/{{name}}/entries -H 'content-type: application/json' \
  -d '{"entryId": "e-1", "customerId": "c-1", "amount": 250}'
curl -s localhost:3000/tasks/<taskId>   # state, result, and the handler tasks under "emitted"
```
