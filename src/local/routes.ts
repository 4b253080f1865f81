import type { Route } from './httpHost';

/** The HTTP functions, loaded from `functions/` as Azure loads them. */
export function loadFunctionRoutes(): Route[] {
  {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const webhook =
      require('../../functions/dataverseWebhook') as typeof import('../../functions/dataverseWebhook');
    const operator = require('../../functions/operator') as typeof import('../../functions/operator');
    const exact = require('../../functions/exactConnect') as typeof import('../../functions/exactConnect');
    const hook = require('../../functions/exactWebhook') as typeof import('../../functions/exactWebhook');
    const console = require('../../functions/console') as typeof import('../../functions/console');
    const page = require('../../functions/consolePage') as typeof import('../../functions/consolePage');
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
      { method: 'POST', route: 'exact/webhook', name: 'exactWebhook', handler: hook.exactWebhook },
      ...consoleRoutes(console),
      ...page.PAGE_ROUTES.map((route) => ({
        method: 'GET',
        route,
        name: 'consolePage',
        handler: page.consolePage,
      })),
    ];
  }
}

function consoleRoutes(c: typeof import('../../functions/console')): Route[] {
  const r = (method: string, route: string, handler: Route['handler']) => ({
    method,
    route: `console/${route}`,
    name: `console ${route}`,
    handler,
  });
  return [
    r('GET', 'status', c.consoleStatus),
    r('GET', 'plan', c.consolePlan),
    r('POST', 'activate', c.consoleActivate),
    r('POST', 'dispatch', c.consoleDispatch),
    r('GET', 'failures', c.consoleFailures),
    r('POST', 'resend', c.consoleResend),
    r('GET', 'invoices', c.consoleInvoices),
    r('GET', 'audit', c.consoleAudit),
    r('GET', 'connect', c.consoleConnect),
  ];
}
