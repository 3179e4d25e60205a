// Regenerates committed artefacts (DB types, OpenAPI document, web API types); --check fails on drift.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateArtefacts } from '../server/src/generate.ts';

const root = path.resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const artefacts = await generateArtefacts();
let drift = 0;
for (const [rel, content] of Object.entries(artefacts)) {
  const file = path.join(root, rel);
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* missing counts as drift */
  }
  if (current === content) continue;
  if (check) {
    console.error(`${rel} is out of date: run npm run gen and commit the result.`);
    drift++;
  } else {
    writeFileSync(file, content);
    console.log(`wrote ${rel}`);
  }
}
process.exit(drift ? 1 : 0);
