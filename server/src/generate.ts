import { generateDbTypes } from './db/codegen.ts';

/** Every generated file, keyed by its path from the repository root. */
export async function generateArtefacts(): Promise<Record<string, string>> {
  return { 'server/src/db/types.ts': await generateDbTypes() };
}
