// ACRO's table rules, cell by cell, with ACRO's defaults (acro/default.yaml) and its exact comparisons.
import type { ServiceConfig } from '../schema/index.js';

export type SdcRules = Required<NonNullable<NonNullable<ServiceConfig['vetting']>['tables']>>;

export const acroDefaults: SdcRules = {
  threshold: 10,
  zeros_disclosive: true,
  nk_n: 2,
  nk_k: 0.9,
  p_ratio: 0.1,
  dof_threshold: 10,
  round_base: 5
};

/** MinimumThresholdCheck: fewer than `threshold` contributors (ACRO: count_table < safe_threshold). */
export const belowThreshold = (count: number, r: SdcRules) => count < r.threshold;

/** PresenceOfZeroCheck: an empty cell, when zeros are disclosive (ACRO: count_table == 0). */
export const disclosiveZero = (count: number, r: SdcRules) => r.zeros_disclosive && count === 0;

/** MinimumDoFCheck for a standard deviation: count - 1 residual degrees of freedom. */
export const lowDof = (dof: number, r: SdcRules) => dof < r.dof_threshold;

const descending = (values: number[]) => [...values].sort((a, b) => b - a);
const total = (values: number[]) => values.reduce((s, v) => s + v, 0);

/** NKCheck: the n largest contributions make up at least k of the cell's total (an empty cell: 0/0, not flagged). */
export function nkDominated(values: number[], r: SdcRules): boolean {
  const sum = total(values);
  return total(descending(values).slice(0, r.nk_n)) / sum >= r.nk_k;
}

/** PPercentCheck: (total - largest - second) / largest < p; with largest 0 the remainder itself is compared. */
export function pDominated(values: number[], r: SdcRules): boolean {
  if (values.length === 0) {
    return false; // ACRO: NaN, filled with 1.0
  }
  const [top1, top2 = 0] = descending(values);
  const rest = total(values) - top1 - top2;
  return (top1 === 0 ? rest : rest / top1) < r.p_ratio;
}
