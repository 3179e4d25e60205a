export {
  disclosureOut,
  disclosurePolicy,
  disclosureRulesOn,
  readsMicrodata,
  type DisclosurePolicy,
} from './policy.ts';
export { peerPosition } from './percentiles.ts';
export {
  disclose,
  suppress,
  suppressCounts,
  type CountCell,
  type Disclosed,
  type Relation,
  type SuppressionOptions,
  type SuppressionReason,
} from './suppress.ts';
export { pinnedColumns, suppressRows, type CountRow, type RowReason } from './rows.ts';
