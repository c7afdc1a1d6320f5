import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** One usage stream per metered subject (`usage-<subject id>`): its stretches, in order. */
export const usageStreams = streamCategory('usage');

export type SubjectType = 'instance' | 'stream';

/** What a stretch is charged at: copied into every event, so a later catalog never rewrites the past. */
export type UsageRates = {
  machine_type?: string;
  location?: string;
  /** The subject's average power draw while running (machine type watts, or a stream's processing watts). */
  watts: number;
  pue: number;
  emission_factor_g_per_kwh: number;
  factor_source: string;
  unit_price_per_hour: number;
  currency: string;
};

export type UsageSubject = {
  subject_type: SubjectType;
  subject_id: string;
  workspace_id: string;
  cluster_id?: string;
  /** The instance's or stream's name when the run began, for listings. */
  name?: string;
};

/** The amounts of a stretch; `cost` is in `currency`, unrounded to the cent. */
export type UsageAmounts = { seconds: number; energy_kwh: number; emissions_g: number; cost: number };

export const usageEvents = defineEvents(usageStreams, {
  UsageMeteringStarted: {
    description: 'A subject began a run (an instance came up, a handler took a stream): metering runs from `at` at these rates',
    payload: payload<{ subject: UsageSubject; rates: UsageRates; at: string }>(),
  },
  UsageMeteringStopped: {
    description: "A subject's run ended (stopped, failed, crashed, lost, done); its last stretch is recorded just before",
    payload: payload<{ at: string }>(),
  },
  UsageRecorded: {
    targetOf: (data: UsageSubject) => ({ type: data.subject_type, id: data.subject_id }),
    description: 'A stretch of time a subject ran (an instance running, a stream in progress), with its energy, emissions and price',
    payload: payload<
      UsageSubject &
        Omit<UsageRates, 'watts' | 'pue'> &
        UsageAmounts & {
          from: string;
          to: string;
          /** When the run this stretch belongs to began: stretches of one run follow each other without a hole. */
          run_started_at: string;
          /** The run ended at `to`; the next stretch belongs to a new run. */
          final: boolean;
          watts: number;
          pue: number;
        }
    >(),
  },
  UsageCorrected: {
    targetOf: (data: UsageSubject) => ({ type: data.subject_type, id: data.subject_id }),
    description: 'A platform admin corrected usage of a subject over a period (signed amounts, with a reason); nothing recorded is edited',
    payload: payload<
      UsageSubject &
        UsageAmounts & {
          from: string;
          to: string;
          reason: string;
          corrected_by: string;
          unit_price_per_hour: number;
          currency: string;
        }
    >(),
  },
});

export type UsageEvent = EventOf<typeof usageEvents>;
