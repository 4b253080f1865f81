/** The console page as the function app serves it (issue 18): the page and its modules, nothing else. */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { ASSETS, consolePage, PAGE_ROUTES } from '../../functions/consolePage';

const get = (path: string, params: Record<string, string> = {}) =>
  consolePage(
    new HttpRequest({ method: 'GET', url: `http://127.0.0.1:7071/api/${path}`, params }),
    new InvocationContext(),
  );

describe('the console page', () => {
  test('when /api/console is asked, then the page comes as HTML under a strict content security policy', async () => {
    const res = await get('console');
    const headers = res.headers as Record<string, string>;
    expect([res.status, headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(headers['content-security-policy']).toMatch(
      /^default-src 'none'; script-src 'self'; style-src 'self'/,
    );
    expect(String(res.body)).toMatch(
      /<script type="module" src="\/api\/console\/assets\/app\.js"><\/script>/,
    );
  });

  test('when its modules are asked, locally by path or in Azure by the route parameter, then each comes with its type', async () => {
    expect([...ASSETS].sort()).toEqual(['api.js', 'app.js', 'chart.js', 'console.css', 'i18n.js']);
    expect(PAGE_ROUTES).toContain('console/assets/app.js');
    const js = await get('console/assets/chart.js');
    expect([js.status, (js.headers as Record<string, string>)['content-type']]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    const css = await get('console/assets/x', { file: 'console.css' });
    expect((css.headers as Record<string, string>)['content-type']).toBe('text/css; charset=utf-8');
  });

  test('when another file is asked (a path outside the folder, the page under another name), then 404', async () => {
    for (const file of ['../package.json', 'index.html', 'secrets.json', '..%2Fpackage.json'])
      expect((await get('console/assets/x', { file })).status).toBe(404);
  });
});
