import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';

/** Starts Azurite from a separate parent process, SIGKILLs that parent, and checks Azurite goes too. */
test('when the parent process is killed, then its Azurite stops listening', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-parent-'));
  const source = fs.readFileSync(path.join(__dirname, '../../../src/local/azurite.ts'), 'utf8');
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  fs.writeFileSync(path.join(dir, 'azurite.js'), js.outputText);
  const parentCode = `
    const { startAzurite } = require(${JSON.stringify(path.join(dir, 'azurite.js'))});
    startAzurite().then((a) => console.log('PORT ' + a.port));
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['-e', parentCode], {
    cwd: path.join(__dirname, '../../..'),
    // The transpiled copy lives in a temp dir; let it resolve azurite from this project.
    env: { ...process.env, NODE_PATH: path.join(__dirname, '../../../node_modules') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      parent.once('exit', (code) => reject(new Error(`parent exited early (${code})`)));
    });
    expect(await accepts(port)).toBe(true);

    parent.kill('SIGKILL');
    let listening = true;
    for (let attempt = 0; attempt < 100 && listening; attempt++) {
      listening = await accepts(port);
      if (listening) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listening).toBe(false);
  } finally {
    parent.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
