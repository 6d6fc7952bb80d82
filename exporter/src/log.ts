import { pino, type Logger } from 'pino';

/** JSON logs on stderr, so stdout stays free for --help and for tools that pipe the exporter. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'gpufleet-exporter' } }, pino.destination(2));
}
