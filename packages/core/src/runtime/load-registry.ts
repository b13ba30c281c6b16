import { loadExtensions, parseExtensionList } from './extension-loader.js';
import { ExtensionRegistry } from './extension-registry.js';
import { parsePipelineConfig } from './pipeline-config.js';
import { parseWiringOverrides } from './wiring-overrides.js';

/** The deployment settings both hosts read to know what to load. */
export interface WiringSettings {
  COORDINATOR_EXTENSIONS: string;
  COORDINATOR_WIRING?: string;
  COORDINATOR_PIPELINES?: string;
  COORDINATOR_ALLOW_INCOMPATIBLE?: string;
}

/**
 * Loads the configured extensions (resolved from `cwd`) and checks their wiring, as
 * both hosts must, identically. Throws `ExtensionLoadError` naming every culprit.
 */
export async function loadRegistry(
  settings: WiringSettings,
  options: { cwd?: string; warn?: (message: string) => void } = {},
): Promise<ExtensionRegistry> {
  const extensions = await loadExtensions(parseExtensionList(settings.COORDINATOR_EXTENSIONS), options.cwd);
  return new ExtensionRegistry(
    extensions,
    parseWiringOverrides(settings.COORDINATOR_WIRING),
    parsePipelineConfig(settings.COORDINATOR_PIPELINES),
    { allowIncompatible: parseExtensionList(settings.COORDINATOR_ALLOW_INCOMPATIBLE), warn: options.warn },
  );
}
