/**
 * Telemetry is off (the no-op port) unless APPLICATIONINSIGHTS_CONNECTION_STRING is set (decision 0063).
 */
import type { TokenCredential } from '@azure/identity';
import { noTelemetry, type Telemetry } from '../../app/telemetry';
import type { Clock } from '../../app/ports';
import type { AppInsightsOptions } from './applicationInsights';

/**
 * Application Insights and OpenTelemetry are loaded only when telemetry is on: without a connection string
 * the function app neither loads nor pays for them (cold start, memory).
 */
export async function createTelemetry(
  connectionString: string | undefined,
  deps: { clock: Clock; credential?: () => TokenCredential; extra?: AppInsightsOptions['extra'] },
): Promise<Telemetry> {
  if (!connectionString) return noTelemetry;
  const { createAppInsightsTelemetry } = await import('./applicationInsights');
  return createAppInsightsTelemetry({
    connectionString,
    clock: deps.clock,
    ...(deps.credential ? { credential: deps.credential() } : {}),
    ...(deps.extra ? { extra: deps.extra } : {}),
  });
}

export type { AppInsightsOptions };
