/**
 * JSON-lines logger. Every line goes through redaction (server/crypto/redact.ts), so a secret that slips into a
 * message or field is masked before it reaches stdout.
 */
import fs from "node:fs";
import { redactDeep, redactText } from "./crypto/redact";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

let threshold = ORDER[(process.env.LOG_LEVEL as Level) ?? "info"] ?? ORDER.info;
/**
 * stdout, written in batches, so that many lines share one write instead of a system call each: under load, and at
 * one call at a time too, where a write after every answer delayed the next request (docs/decisions/018-per-call-cost.md,
 * docs/decisions/022-one-call-at-a-time.md). Lines wait up to BATCH_MS, or until BATCH_BYTES are pending; a warning
 * or an error goes out at the loop's next check phase, with the lines before it. On exit, what is still pending is
 * written synchronously; a SIGKILL loses at most the last BATCH_MS of lines.
 */
const BATCH_MS = 20;
const BATCH_BYTES = 16 * 1024;
let pending = "";
let timer: NodeJS.Timeout | null = null;
let immediate: NodeJS.Immediate | null = null;

function flushStdout(): void {
  if (timer) clearTimeout(timer);
  if (immediate) clearImmediate(immediate);
  timer = immediate = null;
  const out = pending;
  pending = "";
  if (out) process.stdout.write(out);
}

process.once("exit", () => {
  if (pending) fs.writeSync(1, pending);
  pending = "";
});

let sink: (line: string, urgent: boolean) => void = (line, urgent) => {
  pending += line + "\n";
  if (urgent || pending.length >= BATCH_BYTES) immediate ??= setImmediate(flushStdout);
  else timer ??= setTimeout(flushStdout, BATCH_MS).unref();
};

export function setLogLevel(level: Level | "silent"): void {
  threshold = ORDER[level];
}

/** Tests capture log lines to prove secrets never reach them. */
export function setLogSink(next: (line: string) => void): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

function write(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < threshold) return;
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, msg: redactText(msg) };
  if (fields) Object.assign(line, redactDeep(fields) as Record<string, unknown>);
  sink(JSON.stringify(line, errorReplacer), ORDER[level] >= ORDER.warn);
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  return value;
}

/**
 * The per-request access line, on the hot path: its fields are known and safe (an id the listener validated or
 * made, the method, a status, a duration) apart from the path, which alone is redacted.
 */
export function logRequest(
  requestId: string,
  method: string | undefined,
  path: string,
  status: number,
  ms: number,
): void {
  if (ORDER.info < threshold) return;
  sink(
    `{"time":"${new Date().toISOString()}","level":"info","msg":"request","requestId":"${requestId}","method":${JSON.stringify(method ?? "")},"path":${JSON.stringify(redactText(path))},"status":${status},"ms":${ms}}`,
    false,
  );
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
