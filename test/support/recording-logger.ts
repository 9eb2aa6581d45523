import { format } from 'node:util';
import { type Logger, LogLevel } from '@slack/logger';

/** A logger that keeps every line, whatever the level, formatted like the console would print it. */
export class RecordingLogger implements Logger {
  readonly lines: { level: LogLevel; text: string }[] = [];
  private level = LogLevel.DEBUG;
  private record =
    (level: LogLevel) =>
    (...msg: unknown[]) =>
      void this.lines.push({ level, text: format(...msg) });
  debug = this.record(LogLevel.DEBUG);
  info = this.record(LogLevel.INFO);
  warn = this.record(LogLevel.WARN);
  error = this.record(LogLevel.ERROR);
  setLevel(level: LogLevel) {
    this.level = level;
  }
  getLevel() {
    return this.level;
  }
  setName() {}
}
