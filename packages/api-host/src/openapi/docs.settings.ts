import { BooleanSetting } from '@coordinator/core/runtime';

/**
 * The API documentation's environment (`true` / `false`, like the dashboard's flags).
 *
 * @example
 * ```ts
 * const { DOCS_ENABLED } = loadSettings(DocsSettings, process.env);
 * ```
 */
export class DocsSettings {
  /** Serves the OpenAPI document at `/docs-json` and Swagger UI at `/docs`. */
  @BooleanSetting()
  DOCS_ENABLED: boolean = true;
}
