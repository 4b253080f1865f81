/** What a REST handler gets after authentication and limits (see gate.ts). */
import type { Store, User } from './store';
import type { Reply } from './http';

export interface ApiContext {
  store: Store;
  now: () => number;
  base: string;
  user: User;
  method: string;
  pathname: string;
  query: Record<string, string>;
  rawBody: string;
  /** The calling app's scopes (oauth.ts). */
  scopes: ReadonlySet<string>;
  /** The app's webhook subscriptions (webhooks.ts). */
  webhooks: { resource(ctx: ApiContext, division: number, key: string | undefined): Promise<Reply> };
}
