import { EventFilter } from './webhook.events';

/** What a filter looks at in an event. */
export interface FilteredEvent {
  type: string;
  target: { type: string; id: string };
  data: Record<string, unknown>;
}

/** Failures: a type that says so (`…Failed`, `…Crashed`, `…Lost`) or an `error` in the data. */
export function isErrorEvent(event: Pick<FilteredEvent, 'type' | 'data'>): boolean {
  if (/(Failed|Crashed|Lost)$/.test(event.type)) return true;
  return typeof event.data.error === 'string' && event.data.error.length > 0;
}

/** Whether `event` passes `filter`: every list that is given (and not empty) must hold the event's value. */
export function matchesFilter(filter: EventFilter, event: FilteredEvent): boolean {
  const allows = (list: string[] | undefined, value: string) => !list || list.length === 0 || list.includes(value);
  return (
    allows(filter.types, event.type) &&
    allows(filter.target_types, event.target.type) &&
    allows(filter.target_ids, event.target.id) &&
    (!filter.error_only || isErrorEvent(event))
  );
}
