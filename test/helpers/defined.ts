/**
 * Narrows a value a test needs to be there (an array's element, a map's entry) and fails the test, naming what was
 * missing, when it is not: the test's next line then reads the value without a `!`.
 */
export function defined<T>(value: T | null | undefined, what = "value"): T {
  if (value === undefined || value === null) throw new Error(`expected ${what} to be present, got ${String(value)}`);
  return value;
}
