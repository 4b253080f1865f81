/**
 * An in-memory ExactMasterData (src/app/masterData/ports.ts) for the sync tests, until the Exact adapter and
 * sandbox of issue 14 are merged. It keeps Exact's rules the sync relies on (decision 0071): every insert or
 * change raises the account's Timestamp; `accountChanges` answers the accounts above the cursor in pages of
 * 1,000 (an exact multiple costs one more call), in Timestamp order, with the highest Timestamp as cursor.
 * Every call is counted per method.
 */
import type {
  AccountChanges,
  AccountEdit,
  ExactAccount,
  ExactContact,
  ExactDivision,
  ExactLayout,
  ExactMasterData,
} from '../../../src/app/masterData/ports';

const PAGE = 1000;

export class FakeExactMasterData implements ExactMasterData {
  divisionList: ExactDivision[] = [];
  layoutsByDivision = new Map<number, ExactLayout[]>();
  private accountsByDivision = new Map<number, Map<string, { account: ExactAccount; ts: bigint }>>();
  private timestamp = 100n;
  calls = {
    divisions: 0,
    layouts: 0,
    accountChanges: 0,
    accountPages: 0,
    accounts: 0,
    contacts: 0,
    updateAccount: 0,
  };
  updates: Array<{ division: number; accountId: string; edit: AccountEdit }> = [];

  /** Inserts or changes an account as a user in Exact would: its Timestamp rises. */
  putAccount(division: number, account: Partial<ExactAccount> & { id: string; name: string }): void {
    const table = this.accountsByDivision.get(division) ?? new Map();
    this.accountsByDivision.set(division, table);
    const before = table.get(account.id)?.account;
    table.set(account.id, {
      account: { ...(before ?? blankAccount(account.id, account.name)), ...account, modified: this.now() },
      ts: ++this.timestamp,
    });
  }

  account(division: number, id: string): ExactAccount | undefined {
    return this.accountsByDivision.get(division)?.get(id)?.account;
  }

  async divisions(): Promise<ExactDivision[]> {
    this.calls.divisions++;
    return structuredClone(this.divisionList);
  }

  async layouts(division: number): Promise<ExactLayout[]> {
    this.calls.layouts++;
    return structuredClone(this.layoutsByDivision.get(division) ?? []);
  }

  async accountChanges(division: number, cursor: string): Promise<AccountChanges> {
    this.calls.accountChanges++;
    const from = BigInt(cursor);
    const rows = [...(this.accountsByDivision.get(division)?.values() ?? [])]
      .filter((r) => r.ts > from)
      .sort((a, b) => (a.ts < b.ts ? -1 : 1));
    const calls = Math.floor(rows.length / PAGE) + 1;
    this.calls.accountPages += calls;
    const last = rows.at(-1)?.ts;
    return {
      accounts: rows.map((r) => structuredClone(r.account)),
      cursor: last === undefined ? cursor : last.toString(),
      calls,
    };
  }

  async accounts(division: number, ids: readonly string[]): Promise<Map<string, ExactAccount>> {
    this.calls.accounts++;
    const out = new Map<string, ExactAccount>();
    for (const id of ids) {
      const a = this.account(division, id);
      if (a) out.set(id, structuredClone(a));
    }
    return out;
  }

  async contacts(): Promise<Map<string, ExactContact>> {
    this.calls.contacts++;
    return new Map();
  }

  async updateAccount(division: number, accountId: string, edit: AccountEdit): Promise<void> {
    this.calls.updateAccount++;
    this.updates.push({ division, accountId, edit: structuredClone(edit) });
    const a = this.account(division, accountId);
    if (!a) throw new Error(`fake Exact: no account ${accountId}`);
    this.putAccount(division, {
      ...a,
      ...(edit.email !== undefined ? { email: edit.email } : {}),
      ...(edit.invoicingMethod !== undefined ? { invoicingMethod: edit.invoicingMethod } : {}),
      ...(edit.peppolId !== undefined ? { peppolId: edit.peppolId } : {}),
    });
  }

  private now(): string {
    return new Date(Date.UTC(2026, 11, 1, 9, 0, Number(this.timestamp % 3600n))).toISOString();
  }
}

function blankAccount(id: string, name: string): ExactAccount {
  return {
    id,
    name,
    customer: true,
    blocked: false,
    email: null,
    invoicingMethod: null,
    peppolId: null,
    kvk: null,
    vatNumber: null,
    oin: null,
    language: null,
    invoiceAccount: null,
    mainContact: null,
    modified: null,
  };
}
