import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { assessmentPolicy } from '../../platform/access/index.ts';
import { auditRead } from '../../platform/audit/reads.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Score } from './scoring.ts';

const DIMENSIONS = ['legal', 'institutional', 'human', 'technical'] as const;

/** A campaign's results, one row per assessment in the caller's scope, as an XLSX workbook. */
export async function exportCampaignResults(
  p: Platform,
  ctx: RequestContext,
  campaignId: string,
): Promise<{ stream: Readable; fileName: string }> {
  const actor = requirePermission(ctx, 'assessments.review');
  const campaign = await p.db
    .selectFrom('campaigns')
    .select(['id', 'name'])
    .where('id', '=', campaignId)
    // A campaign the caller takes no part in is not found, as on its page (its name is in the file name).
    .where(assessmentPolicy.campaignWhere(actor))
    .executeTakeFirst();
  if (!campaign) throw new NotFoundError('campaign');
  const rows = await p.db
    .selectFrom('assignments')
    .innerJoin('entities', 'entities.id', 'assignments.entity_id')
    .select([
      'entities.registration_no',
      'entities.name_en',
      'entities.sector',
      'entities.admin_unit',
      'entities.cii_tier',
      'assignments.status',
      'assignments.submission_no',
      'assignments.score_json',
      'assignments.updated_at',
    ])
    .where('assignments.campaign_id', '=', campaignId)
    .where('entities.status', '=', 'active')
    .where(assessmentPolicy.entityWhere(actor))
    .orderBy('entities.sector')
    .orderBy('entities.name_en')
    .execute();
  await auditRead(p, ctx, {
    action: 'export.campaign_results',
    objectType: 'campaign',
    objectId: campaignId,
    detail: { rows: rows.length },
  });
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  const ws = wb.addWorksheet('Results');
  ws.columns = [
    { header: 'registration_no', key: 'reg', width: 18 },
    { header: 'entity', key: 'name', width: 40 },
    { header: 'sector', key: 'sector', width: 14 },
    { header: 'admin_unit', key: 'unit', width: 10 },
    { header: 'cii_tier', key: 'tier', width: 8 },
    { header: 'status', key: 'status', width: 12 },
    { header: 'submissions', key: 'subs', width: 11 },
    { header: 'overall', key: 'overall', width: 9 },
    ...DIMENSIONS.map((d) => ({ header: d, key: d, width: 13 })),
    { header: 'answered', key: 'answered', width: 9 },
    { header: 'applicable', key: 'applicable', width: 10 },
    { header: 'confidence', key: 'confidence', width: 11 },
    { header: 'updated_at', key: 'updated', width: 22 },
  ];
  for (const r of rows) {
    const s = r.score_json ? (JSON.parse(r.score_json) as Partial<Score>) : null;
    ws.addRow({
      reg: r.registration_no,
      name: r.name_en,
      sector: r.sector,
      unit: r.admin_unit,
      tier: r.cii_tier ?? '',
      status: r.status,
      subs: r.submission_no,
      overall: s?.overall ?? '',
      ...Object.fromEntries(DIMENSIONS.map((d) => [d, s?.dimensions?.[d] ?? ''])),
      answered: s?.answered ?? '',
      applicable: s?.applicable ?? '',
      confidence: s?.confidence?.label ?? '',
      updated: r.updated_at,
    }).commit();
  }
  ws.commit();
  wb.commit().catch((err: unknown) => out.destroy(err as Error));
  return {
    stream: out,
    fileName: `qila-campaign-${campaign.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 50)}.xlsx`,
  };
}
