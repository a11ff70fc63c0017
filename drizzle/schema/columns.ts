import { integer, text } from "drizzle-orm/sqlite-core";

/** Shared column helpers. Times are epoch milliseconds in integer columns; money is integer micro-credits. */
export const id = () => text("id").primaryKey();
export const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .$defaultFn(() => new Date());
export const updatedAt = () =>
  integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdateFn(() => new Date());
export const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });
export const bool = (name: string) => integer(name, { mode: "boolean" });
/** A JSON document stored as text. */
export const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();
