import { UsageAmounts, UsageRates } from './usage.events';

const SECONDS_PER_HOUR = 3600;
/** 1 kWh = 3.6e6 joules = watt-seconds. */
const WATT_SECONDS_PER_KWH = 3.6e6;

/** Rounds away float noise so that sums of stored events are reproducible (and digests stable). */
export const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** Energy, emissions and price of `seconds` of running at `rates`. */
export function amountsFor(seconds: number, rates: Pick<UsageRates, 'watts' | 'pue' | 'emission_factor_g_per_kwh' | 'unit_price_per_hour'>): UsageAmounts {
  const energy = (rates.watts * rates.pue * seconds) / WATT_SECONDS_PER_KWH;
  return {
    seconds: round(seconds, 3),
    energy_kwh: round(energy, 9),
    emissions_g: round(energy * rates.emission_factor_g_per_kwh, 6),
    cost: round((seconds * rates.unit_price_per_hour) / SECONDS_PER_HOUR, 6),
  };
}

/** Seconds between two instants, to the millisecond. */
export function secondsBetween(from: Date, to: Date): number {
  return round((to.getTime() - from.getTime()) / 1000, 3);
}
