import { useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap, type ApiResponse } from '../api/client';
import type { paths } from '../api/schema';
import type { LocalizedName } from './jurisdiction';

export type Campaign = ApiResponse<'/api/campaigns'>['items'][number];
export type CampaignInput = paths['/api/campaigns']['post']['requestBody']['content']['application/json'];
export type AssessmentSummary = ApiResponse<'/api/assessments'>['items'][number];
export type Assessment = ApiResponse<'/api/assessments/{id}'>;
export type Requirement = Assessment['requirements'][number];
export type Answer = NonNullable<Requirement['answer']>;
export type Evidence = Requirement['evidence'][number];
export type Submission = Assessment['submissions'][number];
export type AssessmentAction = Assessment['allowedActions'][number];
export type NationalPicture = ApiResponse<'/api/campaigns/{id}/national'>;
export type Benchmark = ApiResponse<'/api/assessments/{id}/benchmark'>;
export type FrameworkSummary = ApiResponse<'/api/frameworks'>['items'][number];
export type FrameworkDetail = ApiResponse<'/api/frameworks/{id}'>;

export const STATUSES = ['not_started', 'in_progress', 'submitted', 'returned', 'accepted'] as const;
export type AssessmentStatus = (typeof STATUSES)[number];
export const isStatus = (s: string): s is AssessmentStatus => (STATUSES as readonly string[]).includes(s);

/** Not yet in the reviewer's hands: what "overdue" means once the due date has passed. */
export const OPEN_STATUSES: readonly AssessmentStatus[] = ['not_started', 'in_progress', 'returned'];

// Each status has a colour and always its name; the colour only repeats the word.
export const STATUS_COLOR: Record<AssessmentStatus, string> = {
  not_started: 'gray.7',
  in_progress: 'blue.7',
  submitted: 'violet.7',
  returned: 'orange.8',
  accepted: 'qila.7',
};

export const DIMENSIONS = ['legal', 'institutional', 'human', 'technical'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const isDimension = (d: string): d is Dimension => (DIMENSIONS as readonly string[]).includes(d);

/** One level of a framework's answer scale, with its name and meaning when the catalog gives them. */
export interface LevelDef {
  level: number;
  name?: LocalizedName;
  description?: LocalizedName;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isName = (v: unknown): v is LocalizedName => isRecord(v) && typeof v.en === 'string';

/**
 * Every level a framework is answered on (the server's `scale`: ZTMM 1-4, the baseline 0-5), each
 * with the name the catalog gives it; the API types the catalog's levels as unknown[].
 */
export function levelsOf(levels: unknown[], scale: readonly number[]): LevelDef[] {
  const named = new Map(
    levels.flatMap((l) =>
      isRecord(l) && typeof l.level === 'number' && isName(l.name)
        ? [
            [
              l.level,
              { name: l.name, description: isName(l.description) ? l.description : undefined },
            ] as const,
          ]
        : [],
    ),
  );
  return scale.map((level) => ({ level, ...named.get(level) }));
}

/**
 * Score bands for heatmaps and bars. Each band has a name, and every cell shows its number:
 * the colour is a reading aid, never the only signal.
 */
export const BANDS = [
  { key: 'veryLow', min: 0, bg: '#f8d7d3', fg: '#5c1a12' },
  { key: 'low', min: 20, bg: '#fbe3c4', fg: '#5a3305' },
  { key: 'medium', min: 40, bg: '#fbf1b8', fg: '#4a3d00' },
  { key: 'good', min: 60, bg: '#d6efc7', fg: '#1f4711' },
  { key: 'strong', min: 80, bg: '#a9dcbc', fg: '#053d1f' },
] as const;
export type Band = (typeof BANDS)[number];

export function bandOf(score: number): Band {
  let band: Band = BANDS[0];
  for (const b of BANDS) if (score >= b.min) band = b;
  return band;
}

/**
 * What a framework is for the campaign form. The framework list does not say (the catalogs do:
 * baseline, framework, readiness, overlay), so the code's conventional prefix decides.
 */
export type FrameworkKind = 'baseline' | 'framework' | 'readiness' | 'overlay';
export function frameworkKind(f: Pick<FrameworkSummary, 'code'>): FrameworkKind {
  if (f.code.startsWith('overlay-')) return 'overlay';
  if (f.code.startsWith('readiness-')) return 'readiness';
  if (f.code.endsWith('-baseline')) return 'baseline';
  return 'framework';
}

export const campaignsKey = ['campaigns'] as const;
export const assessmentKey = (id: string) => ['assessment', id] as const;

export function useCampaigns(enabled = true) {
  return useQuery({
    queryKey: campaignsKey,
    queryFn: ({ signal }) => unwrap(api.GET('/api/campaigns', { signal })),
    enabled,
  });
}

export function useFrameworks(enabled = true) {
  return useQuery({
    queryKey: ['frameworks'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/frameworks', { signal })),
    staleTime: 60 * 60_000,
    enabled,
  });
}

/** Several framework versions in full (group titles and levels); they never change once loaded. */
export function useFrameworkDetails(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ['framework', id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        unwrap(api.GET('/api/frameworks/{id}', { params: { path: { id } }, signal })),
      staleTime: Infinity,
    })),
  });
}

export function useAssessment(id: string) {
  return useQuery({
    queryKey: assessmentKey(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/assessments/{id}', { params: { path: { id } }, signal })),
  });
}

/** Answers one requirement; the server wants the version the answer had, or none for a first answer. */
export interface AnswerDraft {
  level: number | null;
  notApplicable: boolean;
  justification: string;
  comment: string;
}

export function isAnswered(a: Pick<Answer, 'level' | 'notApplicable'> | null | undefined): boolean {
  return Boolean(a && (a.notApplicable || a.level !== null));
}

export const requirementKey = (r: Pick<Requirement, 'frameworkId' | 'itemId'>) =>
  `${r.frameworkId}|${r.itemId}`;

/** A DOM id for a requirement's row, for links such as "go to the first unanswered". */
export const requirementAnchor = (r: Pick<Requirement, 'frameworkId' | 'itemId'>) =>
  `req-${r.frameworkId}-${r.itemId}`.replace(/[^A-Za-z0-9_-]/g, '-');
