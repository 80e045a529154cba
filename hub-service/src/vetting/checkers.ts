// The built-in checkers, configured from the service config's `vetting` section.
import type { Config } from '../config/index.js';
import { AllowListChecker } from './allow-list.js';
import { IdentifierChecker } from './identifiers.js';
import type { IChecker } from './index.js';
import { ModelChecker } from './models.js';
import { NameChecker } from './names.js';
import { RecordChecker } from './records.js';
import { ReleaseFormChecker } from './release-form.js';
import { RowLevelChecker } from './row-level.js';
import { TableChecker } from './table-checker.js';

export function defaultCheckers(vetting: Config['vetting']): IChecker[] {
  const rowLevel = new RowLevelChecker(vetting.series_k);
  const identifiers = new IdentifierChecker(vetting.identifier_min_length);
  const records = new RecordChecker(vetting.record_k);
  return [
    new AllowListChecker(vetting.allowed_types, vetting.max_file_mb, vetting.max_table_rows),
    new ReleaseFormChecker(),
    new NameChecker([identifiers, records]),
    identifiers,
    records,
    rowLevel,
    new TableChecker(vetting.tables, rowLevel),
    new ModelChecker(vetting.tables.dof_threshold)
  ];
}
