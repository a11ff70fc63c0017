/** /healthz says the process is up; /readyz says the database answers and every migration is applied. */
import { getDatabase } from "./db/client.server";
import { migrationStatus } from "./db/migrate.server";
import { log } from "./log.server";

export function healthResponse(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}

export async function readinessResponse(): Promise<Response> {
  try {
    const database = await getDatabase();
    await database.client.execute("select 1");
    const { expected, applied } = await migrationStatus(database);
    const ready = applied >= expected;
    return Response.json(
      { status: ready ? "ready" : "migrations_pending", database: "ok", migrations: { expected, applied } },
      { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    // The probe's answer stays generic; the operator finds the reason in the log.
    log.warn("readiness: the database did not answer", { error });
    return Response.json(
      { status: "unavailable", database: "unreachable" },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
}
