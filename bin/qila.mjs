#!/usr/bin/env node
// `npx qila ...`: runs the TypeScript CLI through tsx's loader, in this process.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const here = path.dirname(fileURLToPath(import.meta.url));
await import(pathToFileURL(path.join(here, '..', 'server', 'src', 'cli.ts')).href);
