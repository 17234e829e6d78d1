// Every filter templates can use, by name (`x | name(args)`).
import { COLLECTION_FILTERS, mapFilter } from './collections.js';
import { COMBO_FILTERS } from './combos.js';
import { CORE_FILTERS, type FilterFn } from './core.js';
import { DATA_FILTERS } from './data.js';
import { TEXT_FILTERS } from './text.js';

export type { FilterFn } from './core.js';

export const FILTERS: Record<string, FilterFn> = {
  ...CORE_FILTERS,
  ...TEXT_FILTERS,
  ...COLLECTION_FILTERS,
  ...DATA_FILTERS,
  ...COMBO_FILTERS,
};
FILTERS.map = mapFilter(FILTERS);
