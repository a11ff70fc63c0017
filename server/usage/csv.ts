/** CSV (RFC 4180) for the usage exports: pure, so it is tested without a database. */

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One field: quoted when it holds a comma, quote, CR or LF (quotes doubled). Text starting with = + - @ (or tab/CR)
 * gets a leading apostrophe so a spreadsheet does not run it as a formula (OWASP "CSV injection").
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value); // most fields of an export: nothing to quote or guard
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: CsvValue[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

/** A CSV file as a stream: the header, then the lines each chunk of rows turns into, pulled one chunk at a time. */
export function csvStream<T>(
  header: string[],
  chunks: AsyncIterable<T[]>,
  toRow: (row: T) => CsvValue[],
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvLine(header)));
          return;
        }
        const next = await iterator.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(next.value.map((row) => csvLine(toRow(row))).join("")));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}

/** "usage-calls-2026-11-20.csv": an attachment header with a safe file name. */
export function attachment(name: string): Record<string, string> {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    "Cache-Control": "no-store",
  };
}
