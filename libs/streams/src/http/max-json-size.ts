import { registerDecorator, ValidationArguments } from 'class-validator';

/** Largest serialized size of a free-form JSON field (`data`, `event_handler`, `policies`). */
export const MAX_JSON_FIELD_BYTES = 64 * 1024;

/**
 * Free-form objects are stored in every event and read model row that carries them and sent to
 * every taker: without a bound, one member could make each of them as large as a request body.
 */
export function MaxJsonSize(bytes = MAX_JSON_FIELD_BYTES) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'maxJsonSize',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => value === undefined || Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= bytes,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be at most ${bytes} bytes as JSON`,
      },
    });
}
