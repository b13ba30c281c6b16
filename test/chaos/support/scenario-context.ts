import type { ChaosCluster } from './chaos-cluster.js';
import type { ChaosSettings } from './chaos-settings.js';

/** What every scenario of the main deployment gets. */
export interface ScenarioContext {
  cluster: ChaosCluster;
  settings: ChaosSettings;
  /** Every order id any scenario got a 202 for: effects for other ids are unexpected. */
  known: Set<string>;
  /** Fires at the scenario's hard deadline. */
  signal: AbortSignal;
}
