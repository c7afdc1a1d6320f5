// The metering context's public event catalogue: what projections and other contexts may read.
export * from './domain/usage.events';
export * from './domain/statement.events';
