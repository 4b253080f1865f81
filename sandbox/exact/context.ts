/** What a REST handler gets after authentication and limits (see gate.ts). */
import type { Store, User } from './store';

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
}
