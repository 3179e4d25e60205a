import {
  grade,
  type GradingAnswers,
  type GradingResult,
  type GradingRuleSet,
} from '../modules/registry/grading.ts';
import type { DemoEntity } from './entities.ts';
import type { Random } from './random.ts';

const SIZE_LEVEL = { micro: 0, small: 1, medium: 2, large: 3 } as const;
// Sectors whose compromise would touch national security or many other sectors (demo judgement).
const SENSITIVE = new Set(['government', 'energy', 'telecom', 'finance', 'defence', 'water', 'transport']);

/**
 * Answers the grading questionnaire plausibly for a demo entity (bigger and more sensitive
 * entities answer higher) and grades it with the real rule set, so demo tiers come with the
 * same explanations a real grading would give.
 */
export function gradeDemoEntity(
  e: DemoEntity,
  rules: GradingRuleSet,
  r: Random,
): { answers: GradingAnswers; result: GradingResult } {
  const size = SIZE_LEVEL[e.size as keyof typeof SIZE_LEVEL] ?? 1;
  const sensitive = SENSITIVE.has(e.sector) ? 1 : 0;
  const level: Record<string, number> = {
    population: size,
    economy: size - 1 + sensitive,
    security: sensitive * 2 + (e.kind === 'federal_government' ? 1 : 0) - 1,
    dependence: sensitive + (e.kind === 'cii_operator' ? 1 : 0),
    substitutability: size - 1,
  };
  const answers: GradingAnswers = {};
  for (const c of rules.criteria) {
    const jitter = r.int(-1, 1);
    const idx = Math.max(0, Math.min(c.options.length - 1, (level[c.code] ?? 1) + jitter));
    answers[c.code] = c.options[idx]!.value;
  }
  return { answers, result: grade(rules, answers) };
}
