import { Aggregate, Decider, InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { amountsFor, secondsBetween } from './usage-arithmetic';
import { UsageEvent, UsageRates, UsageSubject, usageStreams } from './usage.events';

export type MeterCommand =
  | { type: 'StartRun'; subject: UsageSubject; startedAt: Date; rates: UsageRates; now: Date }
  | { type: 'RecordUsage'; until: Date; now: Date }
  | { type: 'EndRun'; endedAt: Date; now: Date }
  | { type: 'CorrectUsage'; from: Date; to: Date; secondsDelta: number; reason: string; correctedBy: string; now: Date };

export interface MeterState {
  subject?: UsageSubject;
  workspaceId?: string;
  /** The run being metered, if the subject runs. */
  run: { startedAt: number; rates: UsageRates } | null;
  /** The rates of the latest run: what a correction is priced at. */
  lastRates?: UsageRates;
  /** End of the last recorded stretch (ms): the next one starts here, so stretches never overlap. */
  recordedUntil: number | null;
  /** Start of the latest run, ended or not: a start older than that is a replay. */
  lastRunStartedAt: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One subject's meter, on its `usage-<id>` stream. Stretches of a run follow each other from the
 * run's start to its end: each begins where the last recorded one ended, and none reaches past the
 * run's end. Starts, ticks and ends may arrive late or twice (a retried job, a replayed event):
 * anything already covered records nothing.
 */
export const meterDecider: Decider<MeterCommand, UsageEvent, MeterState> = {
  initialState: () => ({ run: null, recordedUntil: null, lastRunStartedAt: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'UsageMeteringStarted': {
        const startedAt = Date.parse(event.data.at);
        return { ...state, subject: event.data.subject, workspaceId: event.data.subject.workspace_id, run: { startedAt, rates: event.data.rates }, lastRates: event.data.rates, lastRunStartedAt: startedAt };
      }
      case 'UsageRecorded':
        return { ...state, recordedUntil: Date.parse(event.data.to) };
      case 'UsageMeteringStopped':
        return { ...state, run: null, recordedUntil: Math.max(state.recordedUntil ?? 0, Date.parse(event.data.at)) };
      case 'UsageCorrected':
        return state; // corrections sit beside the stretches; the meter goes on where it was
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'StartRun': {
        const startedAt = command.startedAt.getTime();
        if (state.lastRunStartedAt !== null && startedAt <= state.lastRunStartedAt) return [];
        // A start while a run is open means its end was never reported (a deploy that replaced a running process): it ends here.
        const closing = state.run ? endRun(state, startedAt) : [];
        return [...closing, { type: 'UsageMeteringStarted', data: { subject: command.subject, rates: command.rates, at: iso(Math.max(startedAt, state.recordedUntil ?? 0)) } }];
      }
      case 'RecordUsage':
        return state.run ? stretch(state, command.until.getTime(), false) : [];
      case 'EndRun':
        return state.run && command.endedAt.getTime() >= state.run.startedAt ? endRun(state, command.endedAt.getTime()) : [];
      case 'CorrectUsage': {
        if (!state.subject || !state.lastRates) throw new NotFoundError('nothing was ever metered for this subject');
        if (command.to <= command.from) throw new InvalidStateError('a correction needs `from` before `to`');
        const rates = state.lastRates;
        const amounts = amountsFor(Math.abs(command.secondsDelta), rates);
        const sign = Math.sign(command.secondsDelta);
        return [
          {
            type: 'UsageCorrected',
            data: {
              ...state.subject,
              from: command.from.toISOString(),
              to: command.to.toISOString(),
              seconds: command.secondsDelta,
              energy_kwh: sign * amounts.energy_kwh,
              emissions_g: sign * amounts.emissions_g,
              cost: sign * amounts.cost,
              reason: command.reason,
              corrected_by: command.correctedBy,
              unit_price_per_hour: rates.unit_price_per_hour,
              currency: rates.currency,
            },
          },
        ];
      }
    }
  },
};

function endRun(state: MeterState, endedAt: number): UsageEvent[] {
  return [...stretch(state, endedAt, true), ...overshoot(state, endedAt), { type: 'UsageMeteringStopped', data: { at: iso(endedAt) } }];
}

/**
 * A tick that ran before the end reached the meter (an end stamped but not yet in the log) may
 * have recorded past it: that time is taken back by a correction, so the run is billed exactly.
 */
function overshoot(state: MeterState, endedAt: number): UsageEvent[] {
  const run = state.run!;
  const recordedUntil = state.recordedUntil ?? 0;
  if (recordedUntil <= Math.max(endedAt, run.startedAt)) return [];
  const amounts = amountsFor(secondsBetween(new Date(endedAt), new Date(recordedUntil)), run.rates);
  return [
    {
      type: 'UsageCorrected',
      data: {
        ...state.subject!,
        from: iso(endedAt),
        to: iso(recordedUntil),
        seconds: -amounts.seconds,
        energy_kwh: -amounts.energy_kwh,
        emissions_g: -amounts.emissions_g,
        cost: -amounts.cost,
        reason: 'recorded past the end of the run',
        corrected_by: 'metering',
        unit_price_per_hour: run.rates.unit_price_per_hour,
        currency: run.rates.currency,
      },
    },
  ];
}

/**
 * The stretch from where recording stopped to `until`, or nothing when that is already covered. A
 * stretch never crosses the start of a UTC month: each event belongs to exactly one statement.
 */
function stretch(state: MeterState, until: number, final: boolean): UsageEvent[] {
  const run = state.run!;
  const events: UsageEvent[] = [];
  let from = Math.max(run.startedAt, state.recordedUntil ?? run.startedAt);
  while (from < until) {
    const to = Math.min(until, nextMonthStart(from));
    events.push({
      type: 'UsageRecorded',
      data: {
        ...state.subject!,
        ...run.rates,
        ...amountsFor(secondsBetween(new Date(from), new Date(to)), run.rates),
        from: iso(from),
        to: iso(to),
        run_started_at: iso(run.startedAt),
        final: final && to === until,
      },
    });
    from = to;
  }
  return events;
}

function nextMonthStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** A metered subject's usage stream: `usage-<subject id>`, shared by the tick, the run tracker and corrections. */
export const meters: Aggregate<MeterCommand, UsageEvent, MeterState> = {
  category: usageStreams,
  decider: meterDecider,
  noun: 'subject',
  // A stretch is its subject and where it starts: recorded once, whichever tick or retry gets there.
  eventKeyOf: (event) => (event.type === 'UsageRecorded' ? `stretch:${event.data.from}` : undefined),
};
