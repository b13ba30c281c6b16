import { defineExtension, PublicRoute, RequireScopes } from '@coordinator/core';
import { ExtensionRegistry } from '@coordinator/core/runtime';
import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Post } from '@nestjs/common';
import { RoutePolicies, UnprotectedRouteError } from './route-policies.js';

@Controller('notes')
@RequireScopes('notes:read')
class NotesController {
  @Get(':id')
  read() {}

  @Post()
  @RequireScopes('notes:write')
  write() {}

  @Post('hooks')
  @PublicRoute('signed by the sender')
  hook() {}
}

@Controller('leaky')
class LeakyController {
  @Get()
  list() {}
}

const extension = (name: string, controllers: (new () => unknown)[]) =>
  defineExtension({ name, version: '1.0.0', controllers });

describe('RoutePolicies', () => {
  it('takes a method rule over its controller rule, and keeps public routes public', () => {
    const policies = RoutePolicies.build(new ExtensionRegistry([extension('notes', [NotesController])]), [], true);
    expect(policies.policyOf('GET', '/notes/:id')).toEqual({ kind: 'scopes', scopes: ['notes:read'] });
    expect(policies.policyOf('HEAD', '/notes/:id')).toEqual({ kind: 'scopes', scopes: ['notes:read'] });
    expect(policies.policyOf('POST', '/notes')).toEqual({ kind: 'scopes', scopes: ['notes:write'] });
    expect(policies.policyOf('POST', '/notes/hooks')).toMatchObject({ kind: 'public' });
  });

  it('fails closed: a route nobody declared needs admin', () => {
    const policies = RoutePolicies.build(new ExtensionRegistry([]), [], false);
    expect(policies.policyOf('GET', '/somewhere')).toEqual({ kind: 'scopes', scopes: ['admin'] });
    expect(policies.policyOf('GET', '/admin/queues/api/queues')).toEqual({ kind: 'scopes', scopes: ['admin'] });
    expect(policies.policyOf('GET', '/docs-json')).toEqual({ kind: 'authenticated' });
    expect(policies.policyOf('GET', '/metrics')).toEqual({ kind: 'scopes', scopes: ['metrics:read'] });
  });

  it('refuses an extension route without an access rule, naming it', () => {
    const registry = new ExtensionRegistry([extension('leaky', [LeakyController])]);
    expect(() => RoutePolicies.build(registry, [], true)).toThrow(UnprotectedRouteError);
    expect(() => RoutePolicies.build(registry, [], true)).toThrow(
      /leaky: GET \/leaky \(LeakyController\.list\).*@RequireScopes\(\.\.\.\) or @PublicRoute\(reason\)/,
    );
  });

  it('refuses decorators without scopes or reason', () => {
    expect(() => RequireScopes()).toThrow(/one or more scopes/);
    expect(() => RequireScopes('Orders Write')).toThrow(/one or more scopes/);
    expect(() => PublicRoute(' ')).toThrow(/needs the reason/);
  });
});
