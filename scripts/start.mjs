// `npm start`: builds the web app when needed, then serves Qila (`qila serve`) in this process.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebIfStale } from './build-web.mjs';

try {
  buildWebIfStale();
} catch (err) {
  console.error(`Qila cannot start: ${err.message}`);
  process.exit(1);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.argv = [process.argv[0], path.join(root, 'bin', 'qila.mjs'), 'serve', ...process.argv.slice(2)];
await import('../bin/qila.mjs');
