/**
 * The SPF pre-flight (issue 18 item 5): the sender domain must authorise Exact's mail servers. Checked through
 * node:dns against a DNS server on loopback, and with a resolver that fails.
 */
import { createTxtResolver } from '../../src/adapters/dns/txtResolver';
import { checkSpf, type TxtResolver } from '../../src/app/operator/spf';
import { startLoopbackDns, type LoopbackDns } from '../support/loopbackDns';

let dns: LoopbackDns;
let resolver: TxtResolver;
beforeAll(async () => {
  dns = await startLoopbackDns({
    'direct.example': ['v=spf1 include:spf.protection.outlook.com include:_spf.exactonline.nl -all'],
    'nested.example': ['google-site-verification=abc', 'v=spf1 include:_spf.nested.example ~all'],
    '_spf.nested.example': ['v=spf1 ip4:192.0.2.0/24 include:_spf.exactonline.nl -all'],
    'redirected.example': ['v=spf1 redirect=_spf.nested.example'],
    'outlook-only.example': ['v=spf1 include:spf.protection.outlook.com -all'],
    'loop.example': ['v=spf1 include:loop.example -all'],
    'nospf.example': ['some-other-txt'],
  });
  resolver = createTxtResolver([dns.server]);
});
afterAll(() => dns.close());

describe('the SPF pre-flight of a sender domain', () => {
  test.each([
    ['the record includes _spf.exactonline.nl', 'facturen@direct.example', 'authorised'],
    ['an included record includes it', 'facturen@nested.example', 'authorised'],
    ['the record redirects to one that includes it', 'facturen@redirected.example', 'authorised'],
    ['the record authorises other servers only', 'facturen@outlook-only.example', 'not_authorised'],
    ['the record includes itself (stopped after 10 lookups)', 'facturen@loop.example', 'not_authorised'],
    ['the domain has TXT records but no SPF record', 'facturen@nospf.example', 'no_spf'],
    ['the domain does not exist', 'facturen@unknown.example', 'no_spf'],
  ])('when %s (%s), then the verdict is %s', async (_when, sender, status) => {
    expect((await checkSpf(resolver, sender, 'en')).status).toBe(status);
  });

  test('when the record does not authorise Exact, then the warning says what to add, in Dutch and English', async () => {
    const en = await checkSpf(resolver, 'facturen@outlook-only.example', 'en');
    expect(en).toEqual({
      domain: 'outlook-only.example',
      status: 'not_authorised',
      message:
        "The SPF record of outlook-only.example does not authorise Exact Online's mail servers: receivers may file the invoice email as spam. Add include:_spf.exactonline.nl to it.",
    });
    expect((await checkSpf(resolver, 'facturen@outlook-only.example', 'nl')).message).toMatch(
      /^Het SPF-record van outlook-only\.example staat de mailservers van Exact Online niet toe/,
    );
  });

  test('when DNS does not answer, then the lookup is reported as failed, not as missing', async () => {
    const failing: TxtResolver = {
      resolveTxt: () => Promise.reject(Object.assign(new Error('queryTxt ETIMEOUT'), { code: 'ETIMEOUT' })),
    };
    expect((await checkSpf(failing, 'facturen@direct.example', 'en')).status).toBe('lookup_failed');
  });
});
