// Errors as values a user can act on: a stable code, an HTTP status and a sentence.

export class HBrokerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details: string[] = []
  ) {
    super(message);
    this.name = 'HBrokerError';
  }
}

export const badRequest = (code: string, message: string, details: string[] = []) =>
  new HBrokerError(code, message, 400, details);

export const notFound = (message: string) => new HBrokerError('not_found', message, 404);
