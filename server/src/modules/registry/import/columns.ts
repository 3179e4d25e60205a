/** The registry's import and export columns, in order; a file exported by Qila imports unchanged. */
export const COLUMNS = [
  'registration_no',
  'name_en',
  'name_ur',
  'kind',
  'sector',
  'subsector',
  'admin_unit',
  'size',
  'annual_turnover',
  'website',
  'cii_tier',
  'parent_registration_no',
  'head_name',
  'head_email',
  'ciso_name',
  'ciso_email',
  'ciso_phone',
  'incident_name',
  'incident_email',
  'incident_phone',
] as const;
export type Column = (typeof COLUMNS)[number];

/** Headers of earlier exports, and the column each is now. */
export const RENAMED: Record<string, Column> = { annual_turnover_pkr: 'annual_turnover' };

export const REQUIRED: Column[] = [
  'registration_no',
  'name_en',
  'kind',
  'sector',
  'subsector',
  'admin_unit',
  'size',
];
export const MAX_CELL = 500;
