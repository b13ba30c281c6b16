// The benchmark's extension: one no-op task and one endpoint that dispatches it. Plain ESM JS
// (the hosts import extensions with a dynamic import(), and bench/ is not compiled), so the
// decorators TypeScript would emit are applied with Reflect.decorate, metadata included.
//
//   COORDINATOR_EXTENSIONS=./bench/extension/bench-extension.mjs   (resolved from the host's cwd)
//
// The handler returns when it started (epoch ms, sub-millisecond), which BullMQ stores with the
// job: the e2e case reads it back instead of spending a Redis write inside the measured path.
import 'reflect-metadata';
import { CORE_VERSION, defineExtension, defineTask, RequireScopes, TaskDispatcher } from '@coordinator/core';
import { BadRequestException, Body, Controller, Headers, HttpCode, Injectable, Post } from '@nestjs/common';
import { IsOptional, IsString, Length } from 'class-validator';
import { performance } from 'node:perf_hooks';

/** `Reflect.decorate` for a method, with the descriptor written back as tsc's `__decorate` does. */
function decorateMethod(target, key, decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, Reflect.decorate(decorators, target, key, descriptor) ?? descriptor);
}
const param = (index, decorator) => (target, key) => decorator(target, key, index);

/** Payload of `bench.noop`, and body of `POST /bench/tasks`: `{ "ref": "r-1" }`. */
export class BenchPayload {}
Reflect.decorate([IsString(), Length(1, 128)], BenchPayload.prototype, 'ref');
Reflect.decorate([IsOptional(), IsString(), Length(0, 1024)], BenchPayload.prototype, 'note');

/** Does nothing but say when it started. */
export class NoopHandler {
  async run() {
    return { startedAt: performance.timeOrigin + performance.now() };
  }
}
Reflect.decorate([Injectable()], NoopHandler);

export const noopTask = defineTask({
  name: 'bench.noop',
  payload: BenchPayload,
  handler: NoopHandler,
  retry: { attempts: 1 },
});

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;

/** `POST /bench/tasks` with an `Idempotency-Key`: 202 `{ taskId, statusUrl }` once Redis stored the task. */
export class BenchController {
  constructor(dispatcher) {
    this.dispatcher = dispatcher;
  }

  async create(body, idempotencyKey) {
    if (idempotencyKey === undefined || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException(['Idempotency-Key header is required: 8 to 128 printable ASCII characters']);
    }
    return this.dispatcher.dispatch(noopTask, body, { idempotencyKey });
  }
}
Reflect.decorate([Controller('bench'), Reflect.metadata('design:paramtypes', [TaskDispatcher])], BenchController);
decorateMethod(BenchController.prototype, 'create', [
  Post('tasks'),
  RequireScopes('bench:write'),
  HttpCode(202),
  param(0, Body()),
  param(1, Headers('idempotency-key')),
  Reflect.metadata('design:type', Function),
  Reflect.metadata('design:paramtypes', [BenchPayload, String]),
  Reflect.metadata('design:returntype', Promise),
]);

export default defineExtension({
  name: 'bench',
  version: CORE_VERSION,
  controllers: [BenchController],
  tasks: [noopTask],
});
