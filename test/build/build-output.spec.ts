/*
 * NestJS resolves constructor dependencies from `design:paramtypes` metadata. If the
 * compiler stopped emitting it, every host would fail at startup with "Nest can't
 * resolve dependencies"; these tests fail first and say why.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import 'reflect-metadata';
import { TasksController } from '../../packages/api-host/src/tasks/tasks.controller.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('decorator metadata', () => {
  it('is emitted by the tsc build and readable under plain node', () => {
    const built = `${repoRoot}packages/api-host/dist/tasks/tasks.controller.js`;
    expect(existsSync(built)).toBe(true);
    const script = `
      import 'reflect-metadata';
      const { TasksController } = await import(${JSON.stringify(built)});
      const types = Reflect.getMetadata('design:paramtypes', TasksController) ?? [];
      process.stdout.write(JSON.stringify(types.map((t) => t?.name)));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: `${repoRoot}packages/api-host`,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(JSON.parse(output.toString())).toEqual(['TaskStatusReader']);
  });

  it('is emitted by the jest transform', () => {
    const types = (Reflect.getMetadata('design:paramtypes', TasksController) ?? []) as { name: string }[];
    expect(types.map((t) => t.name)).toEqual(['TaskStatusReader']);
  });
});

describe('built packages', () => {
  it('load with plain node through their package exports', () => {
    const script = `
      const core = await import('@coordinator/core');
      const runtime = await import('@coordinator/core/runtime');
      const orders = (await import('@coordinator/extension-orders')).default;
      process.stdout.write(JSON.stringify([typeof core.defineTask, typeof runtime.loadExtensions, orders.name, orders.contractVersion]));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      // From inside the extension: its dependency on core, and its own name by self-reference.
      cwd: `${repoRoot}packages/extension-orders`,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(JSON.parse(output.toString())).toEqual(['function', 'function', 'orders', 1]);
  });
});
