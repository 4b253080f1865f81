import { ConfidentialClientApplication } from '@azure/msal-node';
import { DynamicsWebApi } from 'dynamics-web-api';
import type { z } from 'zod';
import type { DependencyCall } from '../../app/telemetry';
import { classifyDataverseError, DataverseValidationError, redact, retryAfterMs, statusOf } from './errors';
import { createMsalNetworkClient } from './msalNetwork';

export interface DataverseClientConfig {
  /** Environment URL, e.g. https://contoso.crm4.dynamics.com (trailing slash optional). */
  serverUrl: string;
  /** e.g. https://login.microsoftonline.com/<tenant-id> */
  authority: string;
  clientId: string;
  clientSecret: string;
  /** PEM trusted in addition to the system roots for the authority (local sandbox only). */
  extraCaPem?: string;
  /** Attempts per call when Dataverse answers 429 / 5xx (default 5). */
  maxAttempts?: number;
  /** Injectable so tests need not wait out Retry-After. */
  sleep?: (ms: number) => Promise<void>;
  /** Per-request timeout (ms, default 30 s). */
  timeoutMs?: number;
  /** Told of every Web API request (telemetry, decision 0063). */
  onCall?: (call: DependencyCall) => void;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Pure retry policy: 429 always (the server refused before doing anything), waiting Retry-After;
 * 502/503/504 and network faults only for idempotent calls, with capped exponential backoff.
 * Returns the delay in ms, or null for "do not retry".
 */
export function retryDelayMs(err: unknown, attempt: number, idempotent: boolean): number | null {
  const status = statusOf(err);
  const backoff = Math.min(30_000, 500 * 2 ** (attempt - 1));
  if (status === 429) return retryAfterMs(err) ?? backoff;
  if (!idempotent) return null;
  if (status === 502 || status === 503 || status === 504) return retryAfterMs(err) ?? backoff;
  if (
    status === undefined &&
    err instanceof Error &&
    'code' in err &&
    /^E[A-Z]+/.test(String((err as { code?: unknown }).code))
  )
    return backoff;
  return null;
}

/** dynamics-web-api + msal client credentials, with bounded retries, typed errors and a call counter. */
export class DataverseClient {
  private readonly cca: ConfidentialClientApplication;
  private readonly config: ConstructorParameters<typeof DynamicsWebApi>[0];
  private readonly api: DynamicsWebApi;
  private readonly secrets = new Set<string>();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  private readonly onCall: (operation: string, started: number, status: number | null, ok: boolean) => void;
  private count = 0;
  /** The current access token and when to ask msal again (its cache lookup costs ~0.5 ms per request). */
  private token: { value: string; renewAt: number } | null = null;
  /** Set by a 401: msal's own cache would hand out the refused token again. */
  private forceRefresh = false;
  private renewing: Promise<string | null> | null = null;

  constructor(cfg: DataverseClientConfig) {
    const serverUrl = cfg.serverUrl.replace(/\/+$/, '');
    this.secrets.add(cfg.clientSecret);
    this.sleep = cfg.sleep ?? defaultSleep;
    this.maxAttempts = cfg.maxAttempts ?? 5;
    const host = new URL(serverUrl).host;
    // The operation's name (`load invoice context`), never the request's URL: it holds ids and filters.
    this.onCall = (name, startedAt, resultCode, success) =>
      cfg.onCall?.({
        type: 'Dataverse',
        target: host,
        name,
        startedAt,
        durationMs: Date.now() - startedAt,
        resultCode,
        success,
      });
    this.cca = new ConfidentialClientApplication({
      auth: {
        clientId: cfg.clientId,
        clientSecret: cfg.clientSecret,
        authority: cfg.authority,
        // The authority is trusted as configured: no instance discovery call to login.microsoftonline.com.
        knownAuthorities: [new URL(cfg.authority).host],
      },
      system: { networkClient: createMsalNetworkClient(cfg.extraCaPem) },
    });
    const scopes = [`${serverUrl}/.default`];
    this.config = {
      serverUrl: `${serverUrl}/`,
      timeout: cfg.timeoutMs ?? 30_000,
      onTokenRefresh: async () => {
        if (this.token && Date.now() < this.token.renewAt) return this.token.value;
        // Concurrent requests share one renewal.
        this.renewing ??= this.renew(scopes).finally(() => (this.renewing = null));
        return this.renewing;
      },
    };
    this.api = new DynamicsWebApi(this.config);
  }

  private async renew(scopes: string[]): Promise<string | null> {
    const result = await this.cca.acquireTokenByClientCredential({ scopes, skipCache: this.forceRefresh });
    if (!result?.accessToken) return null;
    this.forceRefresh = false;
    this.secrets.add(result.accessToken);
    // Renewed 5 minutes before expiry (or halfway through a shorter life), as msal itself would.
    const life = (result.expiresOn?.getTime() ?? Date.now()) - Date.now();
    this.token = {
      value: result.accessToken,
      renewAt: Date.now() + Math.max(0, Math.min(life - 300_000, life / 2)),
    };
    return result.accessToken;
  }

  /** Web API requests made (every attempt counts; token requests do not). */
  calls(): number {
    return this.count;
  }

  /**
   * Runs one Web API request with retries. `fresh` gives a client of its own (needed for `$batch`,
   * whose start/execute state lives on the instance and must not catch concurrent calls).
   */
  async run<T>(
    operation: string,
    fn: (api: DynamicsWebApi) => Promise<T>,
    opts: { idempotent: boolean; fresh?: boolean },
  ): Promise<T> {
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      try {
        this.count++;
        const result = await fn(opts.fresh ? new DynamicsWebApi(this.config) : this.api);
        // dynamics-web-api hands back the data, not the status: a success has no result code here.
        this.onCall(operation, started, null, true);
        return result;
      } catch (err) {
        this.onCall(operation, started, statusOf(err) ?? null, false);
        // A refused token (revoked, rotated) is dropped and a new one fetched; a new one refused is an auth fault.
        if (statusOf(err) === 401) {
          // Another request may have renewed already: drop the token only if it is still the refused one.
          if (!this.renewing) {
            this.token = null;
            this.forceRefresh = true;
          }
          if (!renewed) {
            renewed = true;
            continue;
          }
        }
        const delay = attempt < this.maxAttempts ? retryDelayMs(err, attempt, opts.idempotent) : null;
        if (delay === null) {
          const classified = classifyDataverseError(operation, err, [...this.secrets]);
          if (
            !opts.idempotent &&
            statusOf(err) === undefined &&
            !/ECONNREFUSED|ENOTFOUND/.test(String((err as { code?: unknown })?.code))
          ) {
            classified.answerLost = classified.transient;
          }
          throw classified;
        }
        await this.sleep(delay);
      }
    }
  }

  /** Parses a response at the edge; a mismatch is a permanent fault naming the operation, not the data. */
  parse<S extends z.ZodTypeAny>(operation: string, schema: S, data: unknown): z.infer<S> {
    const result = schema.safeParse(data);
    if (!result.success) {
      const issues = result.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new DataverseValidationError(
        redact(`Dataverse ${operation} answered an unexpected shape: ${issues.join('; ')}`, [
          ...this.secrets,
        ]),
      );
    }
    return result.data;
  }
}
