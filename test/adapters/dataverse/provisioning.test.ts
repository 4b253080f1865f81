import {
  authValue,
  checkWebhookUrl,
  secretFingerprint,
  TABLES,
  GLOBAL_OPTION_SETS,
} from '../../../src/adapters/dataverse/provisioning';
import { attributeBody, relationshipBody } from '../../../src/adapters/dataverse/provisioning/bodies';
import { ENTITIES } from '../../../sandbox/dataverse/model';

const column = (table: string, name: string) => {
  const t = TABLES.find((x) => x.name === table)!;
  return name === t.primaryName.name
    ? { kind: 'text', ...t.primaryName }
    : t.columns.find((c) => c.name === name);
};

describe('the schema as data (PRODUCT.md §2)', () => {
  test.each([
    ['eol_administration', 'eol_name', 'text'],
    ['eol_administration', 'eol_division', 'integer'],
    ['eol_administration', 'eol_printinvoices', 'boolean'],
    ['eol_administration', 'eol_sources', 'choices'],
    ['eol_administration', 'eol_channels', 'choices'],
    ['eol_administration', 'eol_timing', 'choice'],
    ['eol_administration', 'eol_timezone', 'text'],
    ['eol_administration', 'eol_defaultinvoicemethod', 'choice'],
    ['eol_administration', 'eol_defaultlayout', 'text'],
    ['eol_administration', 'eol_defaultemaillayout', 'text'],
    ['eol_administration', 'eol_senderemail', 'text'],
    ['eol_administration', 'eol_extratext', 'memo'],
    ['eol_administration', 'eol_notifyemail', 'text'],
    ['eol_relation', 'eol_administrationid', 'lookup'],
    ['eol_relation', 'eol_accountid', 'lookup'],
    ['eol_relation', 'eol_exactaccountid', 'text'],
    ['eol_relation', 'eol_autoinvoice', 'boolean'],
    ['eol_relation', 'eol_invoicemethod', 'choice'],
    ['eol_relation', 'eol_printandsend', 'boolean'],
    ['eol_relation', 'eol_layout', 'text'],
    ['eol_relation', 'eol_emaillayout', 'text'],
    ['eol_relation', 'eol_invoiceemail', 'text'],
    ['eol_relation', 'eol_peppolid', 'text'],
    ['eol_salesinvoice', 'eol_administrationid', 'lookup'],
    ['eol_salesinvoice', 'eol_relationid', 'lookup'],
    ['eol_salesinvoice', 'eol_exactinvoiceid', 'text'],
    ['eol_salesinvoice', 'eol_invoicenumber', 'integer'],
    ['eol_salesinvoice', 'eol_invoicedate', 'datetime'],
    ['eol_salesinvoice', 'eol_source', 'choice'],
    ['eol_salesinvoice', 'eol_autodispatch', 'boolean'],
    ['eol_salesinvoice', 'eol_extratext', 'memo'],
    ['eol_salesinvoice', 'eol_resend', 'boolean'],
    ['eol_salesinvoice', 'eol_dispatchstatus', 'choice'],
    ['eol_salesinvoice', 'eol_dispatchchannel', 'choice'],
    ['eol_salesinvoice', 'eol_dispatchreason', 'text'],
    ['eol_salesinvoice', 'eol_dispatchmessage', 'memo'],
    ['eol_salesinvoice', 'eol_scheduledfor', 'datetime'],
    ['eol_salesinvoice', 'eol_senton', 'datetime'],
    ['eol_salesinvoice', 'eol_dispatchattempts', 'integer'],
    ['eol_administration', 'eol_emailroute', 'choice'],
    ['eol_administration', 'eol_emailtemplateid', 'lookup'],
    ['eol_administration', 'eol_mailboxid', 'lookup'],
    ['eol_administration', 'eol_emailreview', 'boolean'],
    ['eol_administration', 'eol_emailcc', 'text'],
    ['eol_administration', 'eol_emailbcc', 'text'],
    ['eol_relation', 'eol_emailroute', 'choice'],
    ['eol_relation', 'eol_emailreview', 'choice'],
    ['eol_salesinvoice', 'eol_recipients', 'text'],
    ['eol_salesinvoice', 'eol_emailid', 'lookup'],
  ])('when the schema describes %s.%s, then it is a %s column', (table, name, kind) => {
    expect(column(table, name)?.kind).toBe(kind);
  });

  test('when the §2 defaults are read from the schema, then yes/no and single choices carry them', () => {
    expect(column('eol_administration', 'eol_printinvoices')).toMatchObject({ default: false });
    expect(column('eol_administration', 'eol_timing')).toMatchObject({ default: 1 });
    expect(column('eol_relation', 'eol_autoinvoice')).toMatchObject({ default: false });
    expect(column('eol_relation', 'eol_printandsend')).toMatchObject({ default: false });
    expect(column('eol_salesinvoice', 'eol_autodispatch')).toMatchObject({ default: true });
    expect(column('eol_administration', 'eol_emailroute')).toMatchObject({ default: 1 });
    expect(column('eol_administration', 'eol_emailreview')).toMatchObject({ default: false });
    // Empty on a relation means the administration's (decision 0105): no default.
    expect(column('eol_relation', 'eol_emailroute')).not.toHaveProperty('default');
    expect(column('eol_relation', 'eol_emailreview')).not.toHaveProperty('default');
  });

  test('when the choices are listed, then their values are the ones §2 and Exact use', () => {
    const values = (name: string) =>
      GLOBAL_OPTION_SETS.find((o) => o.name === name)!.options.map((o) => o.value);
    expect(values('eol_source')).toEqual([1, 2, 3, 4]);
    expect(values('eol_channel')).toEqual([1, 2, 3, 4]);
    expect(values('eol_invoicemethod')).toEqual([0, 1, 2, 4, 32]);
    expect(values('eol_emailroute')).toEqual([1, 2]);
  });

  test('when compared with the tables the gateway reads (the sandbox model), then entity sets, lookups and alternate keys agree', () => {
    for (const t of TABLES) {
      const model = ENTITIES.find((e) => e.logical === t.name)!;
      expect(model.set).toBe(t.entitySet);
      for (const lookup of t.columns.filter((c) => c.kind === 'lookup'))
        expect(Object.keys(model.lookups)).toContain(lookup.name);
      const modelKeys = model.altKeys.map((cols) => cols.map((c) => c.replace(/^_(\w+)_value$/, '$1')));
      expect(t.keys.map((k) => k.columns)).toEqual(modelKeys);
    }
  });

  test('when a lookup is created, then its navigation property is the logical name the gateway binds', () => {
    const relation = TABLES.find((t) => t.name === 'eol_relation')!;
    const lookup = relation.columns.find((c) => c.name === 'eol_administrationid')! as Extract<
      (typeof relation.columns)[number],
      { kind: 'lookup' }
    >;
    expect(relationshipBody(relation, lookup)).toMatchObject({
      '@odata.type': 'Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata',
      ReferencedEntity: 'eol_administration',
      ReferencingEntity: 'eol_relation',
      ReferencingEntityNavigationPropertyName: 'eol_administrationid',
      Lookup: { SchemaName: 'eol_administrationid', RequiredLevel: { Value: 'ApplicationRequired' } },
    });
  });

  test('when a multi-select column body is built, then it binds the global choice by MetadataId and has no default', () => {
    const body = attributeBody(
      { kind: 'choices', name: 'eol_sources', label: 'Sources', globalOptionSet: 'eol_source' },
      () => 'a1b2c3d4-0000-4000-8000-000000000001',
    );
    expect(body).toEqual(
      expect.objectContaining({
        '@odata.type': 'Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata',
        'GlobalOptionSet@odata.bind': '/GlobalOptionSetDefinitions(a1b2c3d4-0000-4000-8000-000000000001)',
      }),
    );
    expect(body).not.toHaveProperty('DefaultFormValue');
  });
});

describe('webhook registration helpers', () => {
  test('when the secret contains XML characters, then authvalue escapes them inside the HttpHeader settings', () => {
    expect(authValue('a"b<c>&d')).toBe(
      '<settings><setting name="x-autoinvoice-key" value="a&quot;b&lt;c&gt;&amp;d" /></settings>',
    );
  });

  test('when two secrets differ, then their fingerprints differ, and neither contains the secret', () => {
    const a = secretFingerprint('secret-number-one-0123456789');
    expect(a).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(a).not.toBe(secretFingerprint('secret-number-two-0123456789'));
    expect(a).toBe(secretFingerprint('secret-number-one-0123456789'));
  });

  test.each([
    ['https://fn.example.net/api/dataverse/webhook', null],
    ['https://fn.example.net:443/api/dataverse/webhook', null],
    ['https://fn.example.net:7071/api/dataverse/webhook', /ports 80 and 443 only/],
    ['https://fn.example.net/api/dataverse/webhook?code=abc', /no query string/],
    ['ftp://fn.example.net/x', /http\(s\)/],
    ['not a url', /not a URL/],
  ])('when the webhook URL is %s, then the check answers %p', (url, problem) => {
    const out = checkWebhookUrl(url);
    if (problem === null) expect(out).toBeNull();
    else expect(out).toMatch(problem);
  });
});
