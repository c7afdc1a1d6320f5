import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** One stream per monthly statement: `statement-<id>`, the id derived from workspace and month. */
export const statementStreams = streamCategory('statement');

/** A statement line: one subject at one price, with the usage events behind it. */
export type StatementLine = {
  subject_type: 'instance' | 'stream';
  subject_id: string;
  description: string;
  machine_type?: string;
  seconds: number;
  energy_kwh: number;
  emissions_g: number;
  unit_price_per_hour: number;
  amount: number;
  events: { count: number; first_position: string; last_position: string };
};

export type IssuedStatement = {
  workspace_id: string;
  /** `YYYY-MM`, a UTC month. */
  month: string;
  currency: string;
  amount: number;
  free_tier_seconds_applied: number;
  lines: StatementLine[];
  /** The usage events of the month up to this log position are in the lines; later ones go to the next statement. */
  through_position: string;
};

export const statementEvents = defineEvents(statementStreams, {
  StatementIssued: {
    description: "A month ended and its statement was frozen: its lines, amount and the SHA-256 digest of them",
    payload: payload<IssuedStatement & { digest: string; at: string }>(),
  },
});

export type StatementEvent = EventOf<typeof statementEvents>;
