/**
 * Telemetry is off (the no-op port) unless APPLICATIONINSIGHTS_CONNECTION_STRING is set (decision 0063).
 */
import type { TokenCredential } from '@azure/identity';
import { noTelemetry, type Telemetry } from '../../app/telemetry';
import type { Clock } from '../../app/ports';
import { createAppInsightsTelemetry, type AppInsightsOptions } from './applicationInsights';

export function createTelemetry(
  connectionString: string | undefined,
  deps: { clock: Clock; credential?: () => TokenCredential; extra?: AppInsightsOptions['extra'] },
): Telemetry {
  if (!connectionString) return noTelemetry;
  return createAppInsightsTelemetry({
    connectionString,
    clock: deps.clock,
    ...(deps.credential ? { credential: deps.credential() } : {}),
    ...(deps.extra ? { extra: deps.extra } : {}),
  });
}

export type { AppInsightsOptions };
