import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { fieldErrors, ValidationError } from '@streamplane/core';
import { SignInBody } from './account.dto';

/** passport-local, after the body passed the same field checks as every other body. */
@Injectable()
export class SignInGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const body = context.switchToHttp().getRequest().body;
    const errors = await validate(plainToInstance(SignInBody, body ?? {}), { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) throw new ValidationError('the request has invalid fields', fieldErrors(errors));
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    return super.handleRequest(error, user, undefined, undefined as never);
  }
}
