import { InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { deciderSpec } from '@streamplane/testing';
import { meterDecider } from './meter.decider';
import { amountsFor } from './usage-arithmetic';
import { UsageEvent, UsageRates, UsageSubject } from './usage.events';

const subject: UsageSubject = { subject_type: 'instance', subject_id: 'i-1', workspace_id: 'ws-1', cluster_id: 'c-1' };
const rates: UsageRates = { machine_type: 'small', location: 'eu_central', watts: 22, pue: 1.2, emission_factor_g_per_kwh: 350, factor_source: 'catalog', unit_price_per_hour: 0.04, currency: 'USD' };
const t = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
const at = (seconds: number) => t(seconds).toISOString();
const now = t(10_000);

const started = (s: number): UsageEvent => ({ type: 'UsageMeteringStarted', data: { subject, rates, at: at(s) } });
const stopped = (s: number): UsageEvent => ({ type: 'UsageMeteringStopped', data: { at: at(s) } });
const recorded = (from: number, to: number, final = false, runStart = 0): UsageEvent => ({
  type: 'UsageRecorded',
  data: { ...subject, ...rates, ...amountsFor(to - from, rates), from: at(from), to: at(to), run_started_at: at(runStart), final },
});
const spec = deciderSpec(meterDecider);

describe('meter decider', () => {
  it('starts a run at the time its subject came up', () => {
    spec.given([]).when({ type: 'StartRun', subject, startedAt: t(0), rates, now }).then([started(0)]);
  });

  it('records the first stretch from the start of the run, the next from where the last ended', () => {
    spec.given([started(0)]).when({ type: 'RecordUsage', until: t(60), now }).then([recorded(0, 60)]);
    spec.given([started(0), recorded(0, 60)]).when({ type: 'RecordUsage', until: t(120), now }).then([recorded(60, 120)]);
  });

  it('a tick that comes again for time already covered records nothing (a retried job)', () => {
    spec.given([started(0), recorded(0, 60)]).when({ type: 'RecordUsage', until: t(60), now }).then([]);
    spec.given([started(0), recorded(0, 60)]).when({ type: 'RecordUsage', until: t(30), now }).then([]);
  });

  it('the end records the last partial stretch at once and stops the meter', () => {
    spec.given([started(0), recorded(0, 60)]).when({ type: 'EndRun', endedAt: t(75), now }).then([recorded(60, 75, true), stopped(75)]);
  });

  it('an end already covered by a tick (the tick saw the end first) only stops the meter', () => {
    spec.given([started(0), recorded(0, 60)]).when({ type: 'EndRun', endedAt: t(60), now }).then([stopped(60)]);
  });

  it('an end a tick already ran past (the end was not in the log yet) takes the extra time back with a correction', () => {
    const extra = amountsFor(2, rates);
    spec
      .given([started(0), recorded(0, 62)])
      .when({ type: 'EndRun', endedAt: t(60), now })
      .then([
        {
          type: 'UsageCorrected',
          data: {
            ...subject,
            from: at(60),
            to: at(62),
            seconds: -2,
            energy_kwh: -extra.energy_kwh,
            emissions_g: -extra.emissions_g,
            cost: -extra.cost,
            reason: 'recorded past the end of the run',
            corrected_by: 'metering',
            unit_price_per_hour: 0.04,
            currency: 'USD',
          },
        },
        stopped(60),
      ]);
  });

  it('records nothing once stopped: a late tick never reaches past the stop', () => {
    spec.given([started(0), recorded(0, 75, true), stopped(75)]).when({ type: 'RecordUsage', until: t(120), now }).then([]);
    spec.given([started(0), recorded(0, 75, true), stopped(75)]).when({ type: 'EndRun', endedAt: t(75), now }).then([]);
  });

  it('a start seen twice (a replayed event) starts nothing', () => {
    spec.given([started(0)]).when({ type: 'StartRun', subject, startedAt: t(0), rates, now }).then([]);
    spec.given([started(0), recorded(0, 75, true), stopped(75)]).when({ type: 'StartRun', subject, startedAt: t(0), rates, now }).then([]);
  });

  it('a new start while a run is open ends the open run there first', () => {
    spec.given([started(0), recorded(0, 60)]).when({ type: 'StartRun', subject, startedAt: t(90), rates, now }).then([recorded(60, 90, true), stopped(90), started(90)]);
  });

  it('a new run after a stop starts where it says, leaving the stopped time unmetered', () => {
    spec.given([started(0), recorded(0, 75, true), stopped(75)]).when({ type: 'StartRun', subject, startedAt: t(200), rates, now }).then([started(200)]);
    spec
      .given([started(0), recorded(0, 75, true), stopped(75), started(200)])
      .when({ type: 'RecordUsage', until: t(260), now })
      .then([recorded(200, 260, false, 200)]);
  });

  it('splits a stretch at the start of a UTC month, so each event belongs to one statement', () => {
    const monthEnd = Date.UTC(2026, 1, 1) / 1000 - Date.UTC(2026, 0, 1) / 1000;
    spec
      .given([started(monthEnd - 30)])
      .when({ type: 'EndRun', endedAt: t(monthEnd + 45), now })
      .then([recorded(monthEnd - 30, monthEnd, false, monthEnd - 30), recorded(monthEnd, monthEnd + 45, true, monthEnd - 30), stopped(monthEnd + 45)]);
  });

  it('a correction is a signed event beside the stretches', () => {
    const correction = { type: 'CorrectUsage' as const, from: t(0), to: t(60), secondsDelta: -30, reason: 'outage', correctedBy: 'admin-1', now };
    const half = amountsFor(30, rates);
    spec
      .given([started(0)])
      .when(correction)
      .then([
        {
          type: 'UsageCorrected',
          data: { ...subject, from: at(0), to: at(60), seconds: -30, energy_kwh: -half.energy_kwh, emissions_g: -half.emissions_g, cost: -half.cost, reason: 'outage', corrected_by: 'admin-1', unit_price_per_hour: 0.04, currency: 'USD' },
        },
      ]);
    spec.given([started(0)]).when({ ...correction, to: t(0) }).thenThrows(InvalidStateError, /before/);
    spec.given([]).when(correction).thenThrows(NotFoundError);
  });
});

describe('usage arithmetic', () => {
  it('energy is watts × PUE × seconds / 3.6e6 kWh; emissions kWh × the factor; cost seconds × price per hour', () => {
    // 22 W × 1.2 for one hour = 26.4 Wh = 0.0264 kWh; at 350 g/kWh 9.24 g; at 0.04 per hour 0.04.
    expect(amountsFor(3600, rates)).toEqual({ seconds: 3600, energy_kwh: 0.0264, emissions_g: 9.24, cost: 0.04 });
    expect(amountsFor(90, { watts: 100, pue: 1, emission_factor_g_per_kwh: 0, unit_price_per_hour: 1.2 })).toEqual({ seconds: 90, energy_kwh: 0.0025, emissions_g: 0, cost: 0.03 });
  });
});
