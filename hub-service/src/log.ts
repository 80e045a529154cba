// Structured logs (pino) that never carry tokens: authorization headers and token fields are redacted.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = 'info'): Logger {
  return pino({
    level,
    base: { service: 'hbroker' },
    redact: {
      paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization'],
      censor: '[redacted]'
    }
  });
}
