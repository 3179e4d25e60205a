/**
 * Where one score stands among its peers. A median or quartile taken from a handful of scores is
 * one of those scores, so they are shown only for a peer group of minPercentileCohort or more,
 * interpolated between neighbours and rounded to a whole point.
 */
export function peerPosition(
  peers: readonly number[],
  own: number | null,
  rules: { minCohort: number; minPercentileCohort: number; exempt?: boolean },
) {
  const enough = rules.exempt || peers.length >= rules.minCohort;
  const spread = peers.length > 0 && (rules.exempt || peers.length >= rules.minPercentileCohort);
  const sorted = [...peers].sort((a, b) => a - b);
  // Linear interpolation between order statistics (the spreadsheet QUARTILE.INC rule).
  const at = (f: number) => {
    const i = f * (sorted.length - 1);
    const lo = Math.floor(i);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return Math.round(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo));
  };
  return {
    percentile:
      enough && peers.length > 0 && own !== null
        ? Math.round((peers.filter((s) => s < own).length / peers.length) * 100)
        : null,
    peerMedian: spread ? at(0.5) : null,
    peerQuartiles: spread ? [at(0.25), at(0.5), at(0.75)] : null,
  };
}
