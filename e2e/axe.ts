import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { settle } from './session.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const RULES = { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], resultTypes: ['violations'] };

/**
 * Runs axe-core (WCAG 2.1 A and AA) once the page has loaded its data, and fails on any serious
 * or critical violation with what to fix and where. The page's context needs `bypassCSP: true`:
 * the CSP (script-src 'self') would refuse the inline axe script.
 */
export async function audit(p: Page, label: string): Promise<void> {
  await settle(p);
  if (!(await p.evaluate('typeof window.axe !== "undefined"'))) await p.addScriptTag({ content: AXE });
  const result = await p.evaluate<AxeResults>(`axe.run(document, ${JSON.stringify(RULES)})`);
  const problems = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×) at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
  expect(problems, `${label} (${p.url()}):\n  ${problems.join('\n  ')}`).toEqual([]);
}
