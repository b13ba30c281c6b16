import { BooleanSetting } from '@coordinator/core/runtime';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

/**
 * Who may call the API host: hashed API keys, JWTs, or, only in explicit development
 * mode, a key generated at startup. With none of them configured the host refuses to start.
 *
 * @example
 * ```ts
 * const auth = loadSettings(AuthSettings, process.env);
 * ```
 */
export class AuthSettings {
  /**
   * JSON list of keys, each `{ "id", "sha256", "scopes" }`: the SHA-256 of the key, never
   * the key (`coordinator api-key --id checkout --scopes orders:write` makes one).
   */
  @IsOptional()
  @IsString()
  COORDINATOR_API_KEYS?: string;

  /** Where the token issuer publishes its signing keys. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'AUTH_JWT_JWKS_URL must be an http(s) URL' })
  AUTH_JWT_JWKS_URL?: string;

  /** A PEM public key (SPKI) that signs tokens, instead of a JWKS URL. */
  @IsOptional()
  @IsString()
  AUTH_JWT_PUBLIC_KEY?: string;

  /** A shared secret for HS256 tokens, at least 32 characters. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  /** Required `iss` of tokens; required when tokens are accepted. */
  @IsOptional()
  @IsString()
  AUTH_JWT_ISSUER?: string;

  /** Required `aud` of tokens; required when tokens are accepted. */
  @IsOptional()
  @IsString()
  AUTH_JWT_AUDIENCE?: string;

  /**
   * Comma-separated allow-list of signing algorithms; by default `HS256` with a secret,
   * `RS256,PS256,ES256,EdDSA` with a public key or JWKS. `none` is never accepted.
   */
  @IsOptional()
  @IsString()
  AUTH_JWT_ALGORITHMS?: string;

  /** Leeway for `exp` and `nbf` against clock skew between the issuer and this host. */
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_JWT_CLOCK_TOLERANCE_SECONDS: number = 5;

  /**
   * Development mode: with no keys or tokens configured, a key with every scope is
   * generated and printed at startup. Never set it in production.
   */
  @BooleanSetting()
  COORDINATOR_DEV_MODE: boolean = false;

  /** `GET /metrics` needs the `metrics:read` scope (it is open by default, for scrapers on a private network). */
  @BooleanSetting()
  METRICS_REQUIRE_AUTH: boolean = false;
}
