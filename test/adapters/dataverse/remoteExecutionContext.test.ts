/** Parsing a RemoteExecutionContext from outside (src/adapters/dataverse/remoteExecutionContext.ts). */
import { parseRemoteExecutionContext } from '../../../src/adapters/dataverse/remoteExecutionContext';
import {
  buildRemoteExecutionContext,
  serialiseLikeDataverse,
} from '../../../sandbox/seed/remoteExecutionContext';

const ORG = '11111111-1111-4111-8111-111111111111';
const ROW = '22222222-2222-4222-8222-222222222222';
const ADMIN = '33333333-3333-4333-8333-333333333333';

describe('a __proto__ key in a RemoteExecutionContext', () => {
  test('when an attribute is named __proto__, then it is an ordinary attribute and no prototype is replaced', () => {
    const body = serialiseLikeDataverse(
      buildRemoteExecutionContext({
        organizationId: ORG,
        entityId: ROW,
        attributes: { eol_administrationid: { lookup: 'eol_administration', id: ADMIN } },
      }),
    ).replace(
      '"Attributes":[',
      `"Attributes":[{"key":"__proto__","value":{"__type":"EntityReference:x","Id":"${ROW}","LogicalName":"eol_resend"}},`,
    );
    const parsed = parseRemoteExecutionContext(body);
    if (!parsed.ok) throw new Error(parsed.problem);
    const target = parsed.event.target!;
    expect(Object.getPrototypeOf(target)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(target, '__proto__')?.value).toEqual({
      id: ROW,
      logicalName: 'eol_resend',
    });
    expect(target.eol_administrationid).toEqual({ id: ADMIN, logicalName: 'eol_administration' });
    expect(Object.keys(target).sort()).toEqual(['__proto__', 'eol_administrationid']);
  });

  test('when the body itself carries a __proto__ key, then Object.prototype is untouched and the event parses as usual', () => {
    const body = serialiseLikeDataverse(
      buildRemoteExecutionContext({
        organizationId: ORG,
        entityId: ROW,
        attributes: { eol_autodispatch: true },
      }),
    ).replace('{', '{"__proto__":{"polluted":true,"MessageName":"Delete"},');
    const parsed = parseRemoteExecutionContext(body);
    expect(parsed).toMatchObject({ ok: true, event: { messageName: 'Create', entityId: ROW } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
