import { BooleanSetting } from '@coordinator/core/runtime';

/**
 * The queue dashboard's environment (`true` / `false`, checked like every other setting).
 *
 * @example
 * ```ts
 * const { DASHBOARD_ENABLED } = loadSettings(DashboardSettings, process.env);
 * ```
 */
export class DashboardSettings {
  /** Mounts the queue dashboard at `/admin/queues` (BullMQ transport only). */
  @BooleanSetting()
  DASHBOARD_ENABLED: boolean = true;

  /** `false` lets the dashboard retry, promote, clean and remove jobs; read-only otherwise. */
  @BooleanSetting()
  DASHBOARD_READ_ONLY: boolean = true;
}
