export * from './metering.module';
export * from './events';
