/**
 * Where `npm start` takes real settings from (PRODUCT.md §10): `local.settings.json` in the working directory,
 * in Core Tools' format, and the process environment. As Core Tools does, a variable already set in the
 * environment wins over the file's `Values` (decision 0066). The values are parsed later by the same
 * `parseSettings()` as in Azure; this file only reads them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

export const LOCAL_SETTINGS_FILE = 'local.settings.json';

const LocalSettingsFileSchema = z.object({
  IsEncrypted: z
    .literal(false, {
      message: 'must be false: an encrypted file is not supported here (func settings decrypt)',
    })
    .optional(),
  Values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** Core Tools' host options; `LocalHttpPort` is the port `func start` listens on. */
  Host: z
    .object({ LocalHttpPort: z.number().int().min(0).max(65535).optional() })
    .loose()
    .optional(),
});

export interface SettingsSource {
  /** Flat app settings: the file's `Values` under the environment. */
  values: Record<string, string>;
  /** The file read, or null when there is none. */
  file: string | null;
  /** Whether any `Tenants__<name>__…` setting is given: without one, `npm start` runs the demo. */
  namesTenant: boolean;
  /** The file's `Host.LocalHttpPort`: the port when `PORT` is not set. */
  localHttpPort: number | null;
}

export class LocalSettingsFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${path.basename(file)}: ${problem}`);
    this.name = 'LocalSettingsFileError';
  }
}

export function readSettingsSource(cwd: string, env: Record<string, string | undefined>): SettingsSource {
  const file = path.join(cwd, LOCAL_SETTINGS_FILE);
  const parsed = fs.existsSync(file) ? readFile(file) : null;
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed?.Values ?? {})) values[name] = String(value);
  for (const [name, value] of Object.entries(env)) if (value !== undefined) values[name] = value;
  const namesTenant = Object.entries(values).some(
    ([name, value]) => name.startsWith('Tenants__') && value !== '',
  );
  return {
    values,
    file: parsed ? file : null,
    namesTenant,
    localHttpPort: parsed?.Host?.LocalHttpPort ?? null,
  };
}

function readFile(file: string): z.infer<typeof LocalSettingsFileSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // The parser's message quotes the text around the fault, which may be a secret: say only where.
    throw new LocalSettingsFileError(file, 'is not valid JSON');
  }
  const parsed = LocalSettingsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new LocalSettingsFileError(file, problems.join('; '));
  }
  return parsed.data;
}
