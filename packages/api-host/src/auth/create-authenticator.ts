import { generateApiKey, loadSettings, SettingsError } from '@coordinator/core/runtime';
import { Logger } from '@nestjs/common';
import { ApiKeyStore } from './api-key-store.js';
import { AuthSettings } from './auth.settings.js';
import { Authenticator } from './authenticator.js';
import { JwtVerifier } from './jwt-verifier.js';

/**
 * The authenticator the environment configures. Without API keys or tokens the host
 * refuses to start, unless `COORDINATOR_DEV_MODE=true`, which generates a key with every
 * scope and prints it: the one place a key is ever written to a log.
 */
export function createAuthenticator(env: NodeJS.ProcessEnv, logger = new Logger('Auth')): Authenticator {
  const settings = loadSettings(AuthSettings, env);
  let keys = ApiKeyStore.parse(settings.COORDINATOR_API_KEYS);
  const tokens = JwtVerifier.fromSettings(settings);
  if (settings.COORDINATOR_DEV_MODE) {
    logger.warn('DEVELOPMENT MODE (COORDINATOR_DEV_MODE=true): never run it in production');
  }
  if (keys.size === 0 && !tokens) {
    if (!settings.COORDINATOR_DEV_MODE) {
      throw new SettingsError([
        'no credentials configured: set COORDINATOR_API_KEYS (make one with `coordinator api-key`) or AUTH_JWT_*; ' +
          'COORDINATOR_DEV_MODE=true generates a development key instead',
      ]);
    }
    const { key, entry } = generateApiKey('development', ['*']);
    keys = new ApiKeyStore([entry]);
    logger.warn(`DEVELOPMENT KEY with every scope, valid until this process exits: Authorization: Bearer ${key}`);
  }
  logger.log(
    `accepting ${keys.size} API key(s)${tokens ? ' and JWTs' : ''}; ` +
      `${settings.METRICS_REQUIRE_AUTH ? 'GET /metrics needs metrics:read' : 'GET /metrics is open'}`,
  );
  return new Authenticator(keys, tokens);
}
