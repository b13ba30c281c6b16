import type { DynamicModule, Provider } from '@nestjs/common';
import type { Extension } from '../contract/define-extension.js';
import { loadSettings } from './settings.js';

/** Which parts of an extension a host instantiates. */
export interface ExtensionModuleRole {
  /** API host: mount the extension's controllers. */
  controllers: boolean;
  /** Worker host: create worker-only providers and the task handlers. */
  worker: boolean;
}

/**
 * Wraps an extension in a Nest module of its own, so its providers are private to it
 * unless it exports them, and the two hosts instantiate only their part of it.
 */
export function createExtensionModule(
  extension: Extension,
  role: ExtensionModuleRole,
  env: NodeJS.ProcessEnv = process.env,
): DynamicModule {
  const providers: Provider[] = [...extension.providers];
  if (extension.settings) {
    providers.push({ provide: extension.settings, useValue: loadSettings(extension.settings, env) });
  }
  // Pipelines answer requests, so their steps exist in both hosts (the API host included).
  const stepClasses = new Set((extension.pipelineSteps ?? []).map((s) => s.step));
  providers.push(...[...stepClasses].filter((step) => !providers.includes(step)));
  if (role.worker) {
    providers.push(...extension.workerProviders);
    providers.push(...new Set(extension.tasks.map((t) => t.handler)));
  }
  // Nest identifies modules by class; a named class per extension keeps its logs readable.
  const moduleClass = { [`${extension.name}Extension`]: class {} }[`${extension.name}Extension`]!;
  return {
    module: moduleClass,
    controllers: role.controllers ? [...extension.controllers] : [],
    providers,
  };
}
