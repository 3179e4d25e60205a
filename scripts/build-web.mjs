// Builds the web app when web/dist is missing or older than its sources (used by npm start and the browser tests).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'web', 'dist', 'index.html');

function newestMtime(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

export function buildWebIfStale() {
  const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/public']
    .map((s) => path.join(root, s))
    .filter(existsSync);
  if (existsSync(built) && Math.max(...sources.map(newestMtime)) <= statSync(built).mtimeMs) return;
  console.log('Building the web app (first start only; about a minute)...');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const res = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    // Always the production bundle: under the test runner NODE_ENV is 'test', which would make
    // React's slower development build, unlike what ships.
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (res.status !== 0) throw new Error('The web app failed to build.');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildWebIfStale();
