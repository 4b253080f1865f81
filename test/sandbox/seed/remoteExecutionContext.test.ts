import {
  DROPPED_WHEN_TRUNCATED,
  SIZE_EXCEEDED_HEADER,
  buildRemoteExecutionContext,
  serialiseLikeDataverse,
  truncateContext,
} from '../../../sandbox/seed/remoteExecutionContext';
import { parseRemoteExecutionContext } from '../../../src/adapters/dataverse/remoteExecutionContext';

/** The webhook sender can send what Dataverse sends above 256 KB: the context without its collections. */
const ORG = '33333333-3333-4333-8333-333333333333';
const ROW = 'cccccccc-0000-4000-8000-000000000001';
const full = () =>
  buildRemoteExecutionContext({
    organizationId: ORG,
    entityId: ROW,
    messageName: 'Update',
    attributes: { eol_resend: true },
    postImage: { eol_name: 'F1' },
  });

describe('truncated RemoteExecutionContext bodies', () => {
  test.each([
    ['null', null],
    ['empty', []],
  ] as const)(
    'when truncated as %s, then ParentContext, InputParameters and both images take that form and the row is still named',
    (form, expected) => {
      const body = truncateContext(full(), form);
      expect(body.InputParameters).toEqual(expected);
      expect(body.PreEntityImages).toEqual(expected);
      expect(body.PostEntityImages).toEqual(expected);
      expect(body.ParentContext).toBeNull();
      expect(body).toMatchObject({
        MessageName: 'Update',
        PrimaryEntityName: 'eol_salesinvoice',
        PrimaryEntityId: ROW,
        OrganizationId: ORG,
      });
    },
  );

  test('when truncated as absent, then the four keys are missing from the serialised body', () => {
    const raw = serialiseLikeDataverse(truncateContext(full(), 'absent'));
    for (const key of DROPPED_WHEN_TRUNCATED) expect(raw).not.toContain(`"${key}"`);
    expect(raw).toContain(`"PrimaryEntityId":"${ROW}"`);
    expect(SIZE_EXCEEDED_HEADER).toBe('x-ms-dynamics-msg-size-exceeded');
  });

  test.each(['absent', 'empty'] as const)(
    'when the connector reads a body truncated as %s, then it gets the event without target or image (the row is re-read by id)',
    (form) => {
      const parsed = parseRemoteExecutionContext(serialiseLikeDataverse(truncateContext(full(), form)));
      expect(parsed).toEqual({
        ok: true,
        event: expect.objectContaining({
          entityId: ROW,
          messageName: 'Update',
          target: null,
          postImage: null,
        }),
      });
    },
  );
});

describe('the connector reads what the sandbox sends truncated', () => {
  test.each(['null', 'empty', 'absent'] as const)('when the dropped collections arrive %s, then the connector parses the event and keeps its row', (form) => {
    const parsed = parseRemoteExecutionContext(serialiseLikeDataverse(truncateContext(full(), form)));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.event.entityId).toBe(ROW);
  });
});
