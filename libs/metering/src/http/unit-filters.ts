import { UnitFilters } from '../queries/meter-directory';
import { UnitsQuery } from './usage.dto';

/** The filters of a units list, as its query string gave them. */
export function unitFiltersOf(query: UnitsQuery): UnitFilters {
  return {
    running: query.running,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    clusterId: query.cluster_id,
    subjectType: query.subject_type,
  };
}
