import {
  defineExtension,
  defineTask,
  onSignal,
  PublicRoute,
  RequireScopes,
  type Extension,
  type TaskHandler,
  type TaskStatus,
} from '@coordinator/core';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Post } from '@nestjs/common';
import { Allow, Equals, IsDefined, IsOptional, IsString } from 'class-validator';
import { checkContract } from './check-contract.js';
import { checkMountedRoutes } from './check-mounted-routes.js';
import {
  checkPayloadMetadata,
  checkRejectsEmpty,
  checkSampleValidates,
  requiredFieldsOf,
} from './check-payload-dto.js';
import { checkSamples } from './check-samples.js';
import { checkSignalWiring } from './check-signal-wiring.js';
import { checkTaskOutcome } from './check-task-outcome.js';
import { checkControllerRoutes, listControllerRoutes } from './controller-routes.js';
import { checkRouteAccess } from './check-route-access.js';
import { describeExtensionConformance } from './describe-extension-conformance.js';
import {
  echoPartner,
  GreetPayload,
  greetTask,
  greetingSent,
  NotePayload,
  noteTask,
  TinyController,
  tinyExtension,
} from './fixtures/tiny-extension.js';

const lifecycle = { setups: 0, teardowns: 0 };

describeExtensionConformance(tinyExtension, {
  partners: [echoPartner],
  samples: { 'tiny.greet': { name: 'ada' }, 'tiny.note': { text: 'hi' } },
  setup: async () => {
    lifecycle.setups += 1;
    return {
      env: { TINY_GREETING: 'hello' },
      teardown: async () => {
        lifecycle.teardowns += 1;
      },
    };
  },
});

afterAll(() => {
  // One setup per mode, each torn down after its hosts closed.
  expect(lifecycle).toEqual({ setups: 2, teardowns: 2 });
});

/** An extension like `tiny` with some parts replaced. */
const tinyWith = (parts: Partial<Parameters<typeof defineExtension>[0]>): Extension =>
  defineExtension({
    name: 'tiny',
    version: '0.0.1',
    tasks: [greetTask, noteTask],
    signals: [greetingSent],
    handlers: [onSignal('echo.sent', noteTask)],
    ...parts,
  });

class Bare {
  name!: string;
}

@Injectable()
class BareHandler implements TaskHandler<Bare, null> {
  async run(): Promise<null> {
    return null;
  }
}

describe('checkContract', () => {
  it('finds nothing wrong with a well-formed extension', () => {
    expect(checkContract(tinyExtension)).toEqual([]);
  });

  it('names a task that is not namespaced by its extension', () => {
    const foreign = defineTask({ name: 'other.run', payload: GreetPayload, handler: BareHandler });
    const bare = { ...noteTask, name: 'note' };
    expect(checkContract(tinyWith({ tasks: [greetTask, foreign, bare] }))).toEqual([
      'task "other.run" is not namespaced: name it "tiny.<task>"',
      'task "note" is not namespaced: name it "tiny.<task>"',
    ]);
  });

  it('names duplicates, signals that are not <subject>.<event>, and parts not made by the define functions', () => {
    const extension = tinyWith({
      tasks: [greetTask, greetTask, { name: 'tiny.forged' } as never],
      signals: [greetingSent, { ...greetingSent, name: 'greeted' }],
    });
    expect(checkContract(extension)).toEqual([
      'a task of "tiny" was not made by defineTask()',
      'signal "greeted" is not namespaced: name it "<subject>.<event>", like "order.placed"',
      'task "tiny.greet" is listed more than once',
    ]);
  });

  it('refuses what is not a branded extension of this contract', () => {
    expect(checkContract({ name: 'tiny' } as never)).toEqual([
      'the export is not an extension: make it with defineExtension() from @coordinator/core',
    ]);
    expect(checkContract({ ...tinyExtension, contractVersion: 0 })).toEqual([
      'extension "tiny" was built for extension contract 0; this core speaks contract 1',
    ]);
  });

  it('refuses a coreRange that excludes this core', () => {
    const [problem] = checkContract(tinyWith({ coreRange: '^99.0.0' }));
    expect(problem).toMatch(/^extension "tiny" 0\.0\.1 supports @coordinator\/core \^99\.0\.0; this host runs \d/);
    expect(checkContract(tinyWith({ coreRange: '^0.1.0' }), { coreVersion: '0.1.7' })).toEqual([]);
    expect(checkContract(tinyWith({ coreRange: '^0.1.0' }), { coreVersion: '0.2.0' })).toHaveLength(1);
  });
});

describe('payload checks', () => {
  it('names a payload class without validation decorators', () => {
    const task = defineTask({ name: 'tiny.bare', payload: Bare, handler: BareHandler });
    expect(checkPayloadMetadata(task)).toEqual([
      'task "tiny.bare": payload Bare has no class-validator decorators, so nothing validates it',
    ]);
    expect(checkPayloadMetadata(greetTask)).toEqual([]);
  });

  it('tells required fields from optional and merely allowed ones', () => {
    class Mixed {
      @IsString() needed!: string;
      @IsOptional() @IsString() optional?: string;
      @Allow() allowed?: string;
      @IsOptional() @IsDefined() defined?: string;
    }
    expect(requiredFieldsOf(Mixed)).toEqual(['needed', 'defined']);
    expect(requiredFieldsOf(NotePayload)).toEqual([]);
  });

  it('validates a sample like a dispatch, naming what is wrong', async () => {
    expect(await checkSampleValidates(greetTask, { name: 'ada' })).toEqual([]);
    expect(await checkSampleValidates(greetTask, { name: 'ada', extra: 1 })).toEqual([
      'invalid sample of tiny.greet: extra: property extra should not exist',
    ]);
    expect(await checkSampleValidates(greetTask, undefined)).toEqual(['task "tiny.greet" has no sample']);
  });

  it('names a payload class with required fields that still accepts {}', async () => {
    class Lax {
      // Required by the metadata, yet satisfied by a missing value.
      @Equals(undefined) flag?: undefined;
    }
    const lax = defineTask({ name: 'tiny.lax', payload: Lax, handler: BareHandler });
    expect(await checkRejectsEmpty(lax)).toEqual(['task "tiny.lax": payload Lax accepts {} although flag is required']);
    expect(await checkRejectsEmpty(greetTask)).toEqual([]);
  });
});

describe('checkSamples', () => {
  it('names a missing sample, a sample that is no object, and a sample of no task', () => {
    expect(checkSamples(tinyExtension, { 'tiny.greet': { name: 'ada' }, 'tiny.note': { text: 'hi' } })).toEqual([]);
    expect(checkSamples(tinyExtension, { 'tiny.note': [], 'tiny.gret': { name: 'ada' } })).toEqual([
      'task "tiny.greet" has no sample: add samples["tiny.greet"]',
      'the sample of task "tiny.note" must be a plain object',
      'samples["tiny.gret"] names no task of extension "tiny"',
    ]);
  });
});

describe('checkSignalWiring', () => {
  it('accepts handlers of signals the partners define', () => {
    expect(checkSignalWiring(tinyExtension, [echoPartner])).toEqual([]);
  });

  it('names a handler of a signal nobody defines, and why the registry refuses', () => {
    const extension = tinyWith({ handlers: [onSignal('nobody.sent', noteTask)] });
    expect(checkSignalWiring(extension, [echoPartner])).toEqual([
      'handler "nobody.sent->tiny.note" listens to signal "nobody.sent", which neither "tiny" nor its partners define',
      'the registry refuses to load: handler "nobody.sent->tiny.note" of extension "tiny" listens to signal "nobody.sent", which no loaded extension defines',
      'the registry refuses to load: signal "echo.sent" of extension "echo" has no handler; load an extension that handles it or mark it optional',
    ]);
  });

  it('needs the partners: without them nothing handles what the extension emits', () => {
    expect(checkSignalWiring(tinyExtension)).toEqual([
      'handler "echo.sent->tiny.note" listens to signal "echo.sent", which neither "tiny" nor its partners define',
      'the registry refuses to load: handler "echo.sent->tiny.note" of extension "tiny" listens to signal "echo.sent", which no loaded extension defines',
      'the registry refuses to load: signal "greeting.sent" of extension "tiny" has no handler; load an extension that handles it or mark it optional',
    ]);
  });
});

describe('controller routes', () => {
  it('lists the routes a controller declares', () => {
    expect(listControllerRoutes(TinyController).map((r) => `${r.method} ${r.path} ${r.handler}`)).toEqual([
      'POST /tiny/greetings greet',
      'GET /tiny/greetings/:taskId status',
    ]);
  });

  it('names a class that is no controller, and a route declared twice', () => {
    class NotAController {}
    @Controller('/tiny/')
    class Twice {
      @Post('greetings/') again() {}
      @Get() root() {}
    }
    expect(checkControllerRoutes([TinyController, NotAController, Twice])).toEqual([
      'NotAController is listed in controllers but is not decorated with @Controller()',
      'POST /tiny/greetings is declared by both TinyController.greet and Twice.again',
    ]);
  });

  it('names a route with neither scopes nor a reason to be public', () => {
    @Controller('open')
    class Open {
      @Get() list() {}
      @Post('hooks') @PublicRoute('signed by the sender') hook() {}
      @Post() @RequireScopes('open:write') write() {}
    }
    expect(checkRouteAccess([TinyController, Open])).toEqual([
      'GET /open (Open.list) declares neither @RequireScopes nor @PublicRoute',
    ]);
  });

  it('names a declared route the API host does not have', () => {
    const routes = listControllerRoutes(TinyController);
    expect(checkMountedRoutes(routes, (method) => method === 'POST')).toEqual([
      'GET /tiny/greetings/:taskId (TinyController.status) is not mounted in the API host',
    ]);
  });
});

describe('checkTaskOutcome', () => {
  const status = (state: TaskStatus['state'], failureReason?: string): TaskStatus => ({
    taskId: 'tiny.greet.1',
    task: 'tiny.greet',
    extension: 'tiny',
    state,
    attemptsMade: 2,
    maxAttempts: 5,
    enqueuedAt: new Date(0).toISOString(),
    ...(failureReason ? { failureReason } : {}),
  });

  it('accepts a completed task, and one that failed against its downstreams', () => {
    expect(checkTaskOutcome('tiny.greet', status('completed'))).toEqual([]);
    expect(checkTaskOutcome('tiny.greet', status('failed', 'order management answered 503'))).toEqual([]);
  });

  it('refuses a rejected payload and a handler Nest cannot create', () => {
    expect(
      checkTaskOutcome('tiny.greet', status('failed', 'invalid payload of tiny.greet: name must be a string')),
    ).toEqual(['task "tiny.greet" failed on its payload: invalid payload of tiny.greet: name must be a string']);
    const unresolvable = "Nest can't resolve dependencies of the GreetHandler (?). Please make sure…";
    expect(checkTaskOutcome('tiny.greet', status('failed', unresolvable))).toEqual([
      `task "tiny.greet" failed because its handler cannot be created: ${unresolvable}`,
    ]);
  });

  it('refuses a task that has not finished, with its last failure', () => {
    expect(checkTaskOutcome('tiny.greet', status('delayed'), 'timed out')).toEqual([
      'task "tiny.greet" did not finish: still delayed after 2 of 5 attempts; last failure: timed out',
    ]);
    expect(checkTaskOutcome('tiny.greet', undefined)).toEqual([
      'task "tiny.greet" has no status after it was dispatched',
    ]);
  });
});
