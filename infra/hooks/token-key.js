'use strict';
/**
 * azd postprovision hook (azure.yaml): creates the Key Vault secret `token-encryption-key` ONCE — 32 bytes from
 * the operating system's CSPRNG, base64 — and never replaces it. The key encrypts every stored Exact token, so a
 * new key on a later deployment would lock every tenant out of Exact; that is why no template or deployment
 * parameter carries it (decision 0060). Plain Node, no dependencies: it runs before `npm install`.
 *
 *   node infra/hooks/token-key.js [--vault-uri https://<vault>.vault.azure.net/]   (default: AZURE_KEY_VAULT_ENDPOINT)
 *
 * The token comes from `azd auth token` (what @azure/identity's AzureDeveloperCliCredential runs), else from
 * `az account get-access-token`. The secret's value is never printed.
 */
const { randomBytes } = require('node:crypto');
const { execFile } = require('node:child_process');

const SECRET_NAME = 'token-encryption-key';
const API_VERSION = '7.4';
const KEY_VAULT_SCOPE = 'https://vault.azure.net/.default';
/** A role assignment made by the same `azd provision` can take minutes to reach Key Vault. */
const FORBIDDEN_RETRIES = 10;

function run(cmd, args) {
  return new Promise((resolve, reject) =>
    // On Windows `az` is a .cmd script, which only a shell can start.
    execFile(cmd, args, { timeout: 60_000, shell: process.platform === 'win32' }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    ),
  );
}

async function cliToken() {
  try {
    const out = await run('azd', [
      'auth',
      'token',
      '--output',
      'json',
      '--no-prompt',
      '--scope',
      KEY_VAULT_SCOPE,
    ]);
    return JSON.parse(out).token;
  } catch {
    const out = await run('az', [
      'account',
      'get-access-token',
      '--resource',
      'https://vault.azure.net',
      '--output',
      'json',
    ]);
    return JSON.parse(out).accessToken;
  }
}

/**
 * Returns 'kept' when the secret exists, 'created' when it did not. Throws (naming the status, never a value)
 * on anything else, including a soft-deleted secret, which must be recovered rather than replaced.
 */
async function ensureTokenKey({ vaultUri, getToken = cliToken, sleep, log = (l) => console.log(l) }) {
  const wait = sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const url = `${vaultUri.replace(/\/+$/, '')}/secrets/${SECRET_NAME}?api-version=${API_VERSION}`;
  const headers = { authorization: `Bearer ${await getToken()}`, 'content-type': 'application/json' };
  let read;
  for (let attempt = 0; ; attempt++) {
    read = await fetch(url, { headers });
    if (read.status !== 403 || attempt >= FORBIDDEN_RETRIES) break;
    log(
      `Key Vault refused (403), the role assignment may still be propagating; retry ${attempt + 1}/${FORBIDDEN_RETRIES}`,
    );
    await wait(30_000);
  }
  if (read.status === 200) {
    log(`${SECRET_NAME}: exists, kept (a deployment never replaces it)`);
    return 'kept';
  }
  if (read.status !== 404) throw new Error(`Key Vault answered ${read.status} reading ${SECRET_NAME}`);
  const body = JSON.stringify({
    value: randomBytes(32).toString('base64'),
    contentType: 'AES-256-GCM key for Exact tokens at rest: 32 random bytes, base64',
  });
  const put = await fetch(url, { method: 'PUT', headers, body });
  if (put.status === 409)
    throw new Error(
      `${SECRET_NAME} is deleted but recoverable: recover it (az keyvault secret recover --name ${SECRET_NAME} …) — a new key would make every stored Exact token unreadable`,
    );
  if (put.status !== 200) throw new Error(`Key Vault answered ${put.status} creating ${SECRET_NAME}`);
  log(`${SECRET_NAME}: created (32 random bytes)`);
  return 'created';
}

if (require.main === module) {
  const i = process.argv.indexOf('--vault-uri');
  const vaultUri = i > 0 ? process.argv[i + 1] : process.env.AZURE_KEY_VAULT_ENDPOINT;
  if (!vaultUri) {
    console.error('token-key: no vault (pass --vault-uri or set AZURE_KEY_VAULT_ENDPOINT)');
    process.exitCode = 2;
  } else {
    ensureTokenKey({ vaultUri }).catch((err) => {
      console.error(`token-key: ${err.message}`);
      process.exitCode = 1;
    });
  }
}

module.exports = { ensureTokenKey, SECRET_NAME };
