// The whole data model (architecture.md, "Data model"). drizzle-kit reads this file to generate migrations.
export * from "./users";
export * from "./access-keys";
export * from "./providers";
export * from "./models";
export * from "./calls";
export * from "./billing";
export * from "./usage";
export * from "./governance";
export * from "./playground";
export * from "./instances";
export * from "./responses";
