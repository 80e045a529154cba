// Resources within the admin's limits: what the dialog checks before anything is sent.
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Limits, Resources } from './generated/schema';

/** Reads the dialog's number fields; an empty field means "the admin's default". */
export function readResources(values: Record<keyof Resources, string>): Resources {
  const resources: Resources = {};
  for (const key of ['cpus', 'memory_mb', 'timeout_seconds'] as const) {
    const text = (values[key] ?? '').trim();
    if (text !== '') {
      resources[key] = Number(text);
    }
  }
  return resources;
}

/** One sentence per field that is not a number or lies outside the limits; empty when all is well. */
export function resourceProblems(
  requested: Resources,
  limits: Limits,
  trans: TranslationBundle
): string[] {
  const labels: Record<keyof Resources, string> = {
    cpus: trans.__('CPUs'),
    memory_mb: trans.__('Memory (MiB)'),
    timeout_seconds: trans.__('Time limit (seconds)')
  };
  const problems: string[] = [];
  for (const key of ['cpus', 'memory_mb', 'timeout_seconds'] as const) {
    const value = requested[key];
    if (value === undefined) {
      continue;
    }
    const max = limits.max[key];
    const whole = key !== 'cpus';
    if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) {
      problems.push(
        whole
          ? trans.__('%1 must be a whole number above 0.', labels[key])
          : trans.__('%1 must be a number above 0.', labels[key])
      );
    } else if (max !== undefined && value > max) {
      problems.push(
        trans.__('%1 may be at most %2 on this service; you asked for %3.', labels[key], max, value)
      );
    }
  }
  return problems;
}
