import type { Route } from './httpHost';

/** The HTTP functions, loaded from `functions/` as Azure loads them. */
export function loadFunctionRoutes(): Route[] {
  {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const webhook =
      require('../../functions/dataverseWebhook') as typeof import('../../functions/dataverseWebhook');
    const operator = require('../../functions/operator') as typeof import('../../functions/operator');
    const exact = require('../../functions/exactConnect') as typeof import('../../functions/exactConnect');
    return [
      {
        method: 'POST',
        route: 'dataverse/webhook',
        name: 'dataverseWebhook',
        handler: webhook.dataverseWebhook,
      },
      { method: 'GET', route: 'health', name: 'health', handler: operator.health },
      { method: 'GET', route: 'status', name: 'status', handler: operator.status },
      { method: 'GET', route: 'exact/connect', name: 'exactConnect', handler: exact.exactConnect },
      { method: 'GET', route: 'exact/callback', name: 'exactCallback', handler: exact.exactCallback },
    ];
  }
}
