import { describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { cachedResolver } from './cached-resolver.js';

@Injectable()
class CountingHandler {}

@Module({ providers: [CountingHandler] })
class HandlersModule {}

describe('cachedResolver', () => {
  it('resolves a handler through the module tree once and then returns the same instance', async () => {
    const app = await NestFactory.createApplicationContext(HandlersModule, { logger: false });
    const moduleRef = app.get(ModuleRef);
    let lookups = 0;
    const counting = Object.assign(Object.create(moduleRef) as ModuleRef, {
      get: (...args: Parameters<ModuleRef['get']>) => {
        lookups++;
        return moduleRef.get(...args);
      },
    });
    const resolve = cachedResolver(counting);

    const first = resolve(CountingHandler);
    expect(resolve(CountingHandler)).toBe(first);
    expect(resolve(CountingHandler)).toBe(first);
    expect(lookups).toBe(1);
    expect(first).toBe(moduleRef.get(CountingHandler, { strict: false }));
    await app.close();
  });

  it('lets an unknown handler fail as the module tree does, and caches nothing for it', async () => {
    const app = await NestFactory.createApplicationContext(HandlersModule, { logger: false });
    const resolve = cachedResolver(app.get(ModuleRef));
    class Unregistered {}
    expect(() => resolve(Unregistered)).toThrow();
    expect(() => resolve(Unregistered)).toThrow();
    await app.close();
  });
});
