import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { IsString } from 'class-validator';
import { CONTRACT_VERSION, EXTENSION_BRAND } from '../contract/contract-version.js';
import { defineDownstream } from '../contract/define-downstream.js';
import { defineExtension, type Extension } from '../contract/define-extension.js';
import { defineSignal } from '../contract/define-signal.js';
import { defineTask } from '../contract/define-task.js';
import { onSignal } from '../contract/on-signal.js';
import type { TaskHandler } from '../contract/task-context.js';
import { ExtensionLoadError, ExtensionRegistry } from './extension-registry.js';

class Thing {
  @IsString()
  id!: string;
}

@Injectable()
class Noop implements TaskHandler<Thing> {
  async run() {
    return null;
  }
}

const thingHappened = defineSignal({ name: 'thing.happened', payload: Thing });
const aDo = defineTask({ name: 'a.do', payload: Thing, handler: Noop });
const bReact = defineTask({ name: 'b.react', payload: Thing, handler: Noop });
const a = defineExtension({ name: 'a', version: '1.0.0', tasks: [aDo], signals: [thingHappened] });
const b = defineExtension({
  name: 'b',
  version: '2.0.0',
  tasks: [bReact],
  handlers: [onSignal('thing.happened', bReact)],
});

function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ExtensionLoadError);
    return (error as ExtensionLoadError).problems;
  }
  throw new Error('expected the registry to refuse');
}

describe('ExtensionRegistry', () => {
  it('wires a signal to the handlers of another extension and routes tasks to their queues', () => {
    const registry = new ExtensionRegistry([a, b]);
    expect(registry.queues()).toEqual(['a', 'b']);
    expect(registry.task('a.do').queue).toBe('a');
    expect(registry.handlersOf('thing.happened').map((h) => [h.id, h.queue])).toEqual([
      ['thing.happened->b.react', 'b'],
    ]);
  });

  it('collects the downstreams of the loaded tasks once each, with the extension defining them', () => {
    const oms = defineDownstream({ name: 'order-management' });
    const psp = defineDownstream({ name: 'payment-provider' });
    const shop = defineExtension({
      name: 'shop',
      version: '1.0.0',
      tasks: [
        defineTask({ name: 'shop.submit', payload: Thing, handler: Noop, downstreams: [oms] }),
        defineTask({ name: 'shop.pay', payload: Thing, handler: Noop, downstreams: [oms, psp] }),
      ],
    });
    const registry = new ExtensionRegistry([shop]);
    expect(registry.allDownstreams().map((d) => [d.definition, d.extension.name])).toEqual([
      [oms, 'shop'],
      [psp, 'shop'],
    ]);
    expect(registry.findDownstream('payment-provider')?.definition).toBe(psp);
    expect(registry.findDownstream('fulfilment')).toBeUndefined();
  });

  it('refuses two definitions of one downstream name, naming both extensions (or the task)', () => {
    const task = (name: string, downstream: ReturnType<typeof defineDownstream>) =>
      defineTask({ name, payload: Thing, handler: Noop, downstreams: [downstream] });
    const shop = defineExtension({
      name: 'shop',
      version: '1.0.0',
      tasks: [task('shop.submit', defineDownstream({ name: 'order-management' }))],
    });
    const loyalty = defineExtension({
      name: 'loyalty',
      version: '1.0.0',
      tasks: [task('loyalty.award', defineDownstream({ name: 'order-management' }))],
    });
    expect(problemsOf(() => new ExtensionRegistry([shop, loyalty]))).toEqual([
      'downstream "order-management" is defined by both "shop" and "loyalty"; each extension must give its downstreams their own names',
    ]);
    const twice = defineExtension({
      name: 'twice',
      version: '1.0.0',
      tasks: [
        task('twice.one', defineDownstream({ name: 'oms' })),
        task('twice.two', defineDownstream({ name: 'oms', bulkhead: { maxConcurrent: 2 } })),
      ],
    });
    expect(problemsOf(() => new ExtensionRegistry([twice]))).toEqual([
      'downstream "oms" is defined twice by extension "twice" (task "twice.two" lists the second definition); define it once and share it',
    ]);
  });

  it('refuses two tasks with the same name, naming both extensions', () => {
    const clash = defineExtension({ name: 'c', version: '1.0.0', tasks: [aDo] });
    expect(problemsOf(() => new ExtensionRegistry([a, b, clash]))).toContain(
      'task "a.do" is defined by both "a" and "c"',
    );
  });

  it('refuses a task that is not namespaced by its extension', () => {
    const stray = defineExtension({ name: 'd', version: '1.0.0', tasks: [bReact] });
    expect(problemsOf(() => new ExtensionRegistry([stray]))).toContain(
      'task "b.react" of extension "d" must be named "d.<task>"',
    );
  });

  it('refuses a handler of a signal no loaded extension defines', () => {
    expect(problemsOf(() => new ExtensionRegistry([b]))).toEqual([
      'handler "thing.happened->b.react" of extension "b" listens to signal "thing.happened", which no loaded extension defines',
    ]);
  });

  it('refuses a signal nobody handles unless it is optional', () => {
    expect(problemsOf(() => new ExtensionRegistry([a]))).toEqual([
      'signal "thing.happened" of extension "a" has no handler; load an extension that handles it or mark it optional',
    ]);
    const optional = defineExtension({
      name: 'a',
      version: '1.0.0',
      signals: [defineSignal({ name: 'thing.happened', payload: Thing, optional: true })],
    });
    expect(() => new ExtensionRegistry([optional])).not.toThrow();
  });

  it('refuses an extension built for another contract version, naming both versions', () => {
    const future = { ...a, contractVersion: CONTRACT_VERSION + 1, [EXTENSION_BRAND]: true } as Extension;
    expect(problemsOf(() => new ExtensionRegistry([future]))).toEqual([
      `extension "a" was built for extension contract ${CONTRACT_VERSION + 1}; this host speaks contract ${CONTRACT_VERSION}`,
    ]);
  });

  it('refuses an extension whose coreRange excludes this core, naming both versions, unless overridden', () => {
    const picky = defineExtension({ name: 'picky', version: '3.1.0', coreRange: '^9.0.0' });
    expect(problemsOf(() => new ExtensionRegistry([picky], {}, {}, { coreVersion: '1.4.0' }))).toEqual([
      'extension "picky" 3.1.0 supports @coordinator/core ^9.0.0; this host runs 1.4.0 (set COORDINATOR_ALLOW_INCOMPATIBLE=picky to load it anyway)',
    ]);
    const warnings: string[] = [];
    const registry = new ExtensionRegistry(
      [picky],
      {},
      {},
      {
        coreVersion: '1.4.0',
        allowIncompatible: ['picky'],
        warn: (message) => warnings.push(message),
      },
    );
    expect(registry.extensions).toEqual([picky]);
    expect(warnings).toEqual([
      'extension "picky" 3.1.0 supports @coordinator/core ^9.0.0; this host runs 1.4.0: loading it anyway because COORDINATOR_ALLOW_INCOMPATIBLE names it',
    ]);
    expect(problemsOf(() => new ExtensionRegistry([a, b], {}, {}, { allowIncompatible: ['ghost'] }))).toEqual([
      'COORDINATOR_ALLOW_INCOMPATIBLE names "ghost", which is not a loaded extension',
    ]);
    expect(() => new ExtensionRegistry([picky], {}, {}, { coreVersion: '9.2.0' })).not.toThrow();
    expect(() => defineExtension({ name: 'odd', version: '1.0.0', coreRange: 'soon' })).toThrow(
      'coreRange "soon" is not a semver range',
    );
  });

  it('refuses the same extension loaded twice', () => {
    expect(problemsOf(() => new ExtensionRegistry([a, b, a]))).toContain('extension "a" is loaded twice');
  });

  it('applies deployment overrides: disable, re-route, and refuse unknown handler ids', () => {
    const rerouted = new ExtensionRegistry([a, b], { 'thing.happened->b.react': { queue: 'b-priority' } });
    expect(rerouted.handlersOf('thing.happened')[0]?.queue).toBe('b-priority');
    expect(rerouted.queues()).toContain('b-priority');
    expect(rerouted.queuesOfTask('b.react')).toEqual(['b', 'b-priority']);

    // Disabling the only handler leaves the signal unhandled, which is refused.
    expect(
      problemsOf(() => new ExtensionRegistry([a, b], { 'thing.happened->b.react': { enabled: false } })),
    ).toContain(
      'signal "thing.happened" of extension "a" has no handler; load an extension that handles it or mark it optional',
    );
    expect(problemsOf(() => new ExtensionRegistry([a, b], { 'nope->b.react': { enabled: false } }))).toContain(
      'COORDINATOR_WIRING names handler "nope->b.react", which no loaded extension declares',
    );
  });

  it('enables a handler shipped disabled when deployment config says so', () => {
    const bOff = defineExtension({
      name: 'b',
      version: '2.0.0',
      tasks: [bReact],
      handlers: [onSignal('thing.happened', bReact, { enabled: false })],
    });
    const optionalSignal = defineExtension({
      name: 'a',
      version: '1.0.0',
      signals: [defineSignal({ name: 'thing.happened', payload: Thing, optional: true })],
    });
    expect(new ExtensionRegistry([optionalSignal, bOff]).handlersOf('thing.happened')).toHaveLength(0);
    const on = new ExtensionRegistry([optionalSignal, bOff], { 'thing.happened->b.react': { enabled: true } });
    expect(on.handlersOf('thing.happened')).toHaveLength(1);
  });
});
