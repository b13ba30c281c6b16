/*
 * A task's payload type flows from its DTO to dispatch() and to the handler. The
 * `@ts-expect-error` lines are checked by `pnpm typecheck` (part of `make test`): if
 * one of them stopped being an error, the type check fails.
 */
import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { IsInt, IsString } from 'class-validator';
import { ExtensionRegistry } from '../runtime/extension-registry.js';
import { InlineTransport } from '../runtime/inline-transport.js';
import { TaskExecutor } from '../runtime/task-executor.js';
import { defineExtension } from './define-extension.js';
import { defineSignal } from './define-signal.js';
import { defineTask } from './define-task.js';
import { onSignal } from './on-signal.js';
import type { TaskContext, TaskHandler } from './task-context.js';

class Greeting {
  @IsString()
  name!: string;

  @IsInt()
  times!: number;

  shout(): string {
    return this.name.toUpperCase();
  }
}

class Other {
  @IsString()
  colour!: string;
}

const received: unknown[] = [];

@Injectable()
class GreetHandler implements TaskHandler<Greeting, string> {
  async run(payload: Greeting, ctx: TaskContext): Promise<string> {
    received.push(payload);
    return `${payload.shout()} x${payload.times} (${ctx.taskName})`;
  }
}

@Injectable()
class OtherHandler implements TaskHandler<Other> {
  async run(payload: Other) {
    return payload.colour;
  }
}

const greet = defineTask({ name: 'greet.say', payload: Greeting, handler: GreetHandler });
const paint = defineTask({ name: 'greet.paint', payload: Other, handler: OtherHandler });
const greeted = defineSignal({ name: 'greet.done', payload: Greeting, optional: true });

describe('payload types', () => {
  it('reach the handler as an instance of the DTO, from a plain object literal', async () => {
    const registry = new ExtensionRegistry([
      defineExtension({ name: 'greet', version: '1.0.0', tasks: [greet, paint], signals: [greeted] }),
    ]);
    const transport = new InlineTransport(registry);
    transport.attachExecutor(new TaskExecutor(registry, () => new GreetHandler() as never, transport));

    const receipt = await transport.dispatch(greet, { name: 'ada', times: 2 });
    await transport.whenIdle();

    expect(received[0]).toBeInstanceOf(Greeting);
    expect((await transport.status.get(receipt.taskId))?.result).toBe('ADA x2 (greet.say)');
  });

  it('are enforced at compile time', async () => {
    const registry = new ExtensionRegistry([
      defineExtension({ name: 'greet', version: '1.0.0', tasks: [greet, paint], signals: [greeted] }),
    ]);
    const dispatcher = new InlineTransport(registry);
    const attempts = [
      // @ts-expect-error -- a field of the wrong type
      () => dispatcher.dispatch(greet, { name: 'ada', times: 'twice' }),
      // @ts-expect-error -- a missing field
      () => dispatcher.dispatch(greet, { name: 'ada' }),
      // @ts-expect-error -- the payload of another task
      () => dispatcher.dispatch(greet, { colour: 'red' }),
      // @ts-expect-error -- a signal payload that does not fit
      () => dispatcher.emit(greeted, { colour: 'red' }),
    ];
    // The same calls fail at run time too, because the payload is validated at dispatch.
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ name: 'PayloadValidationError' });

    // @ts-expect-error -- a handler written for another payload
    defineTask({ name: 'greet.wrong', payload: Other, handler: GreetHandler });
    // @ts-expect-error -- a signal whose payload does not fit the handler task
    onSignal(greeted, paint);
    expect(onSignal(greeted, greet).id).toBe('greet.done->greet.say');
  });
});
