/**
 * `hub <command>`: parses arguments, opens the configured database (applying migrations, so the CLI works on a
 * fresh data directory), runs one command. Exit codes: 0 done, 1 refused or failed, 2 wrong arguments.
 */
import { parseArgs } from "node:util";
import { closeRedis } from "../cache/redis.server";
import { closeDatabase, getDatabase } from "../db/client.server";
import { migrateDatabase } from "../db/migrate.server";
import { EnvError, getEnv } from "../env.server";
import { HubError } from "../errors";
import { setLogLevel } from "../log.server";
import { COMMANDS, UsageError, type Io } from "./commands";

const stdio: Io = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

function usage(): string {
  return [
    "Usage: hub <command> [options]",
    "",
    "Commands:",
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
  ].join("\n");
}

export async function main(
  argv: string[],
  io: Io = stdio,
  options_: { keepDatabaseOpen?: boolean } = {},
): Promise<number> {
  const name = [argv[0], argv[1]].filter(Boolean).join(" ");
  const commandName = COMMANDS[name] ? name : COMMANDS[argv[0] ?? ""] ? argv[0] : null;
  const command = commandName ? COMMANDS[commandName] : undefined;
  if (!commandName || !command || argv.includes("--help") || argv.includes("-h")) {
    if (command) io.err(`Usage: hub ${command.usage}`);
    else io.err(usage());
    return argv.length === 0 || argv[0] === "help" || argv.includes("--help") ? 0 : 2;
  }
  const rest = argv.slice(commandName.split(" ").length);
  let options: Record<string, string | undefined>;
  try {
    const parsed = parseArgs({
      args: rest,
      options: Object.fromEntries(Object.keys(command.options).map((k) => [k, { type: "string" as const }])),
      strict: true,
      allowPositionals: false,
    });
    options = parsed.values;
    const missing = Object.entries(command.options)
      .filter(([k, o]) => o.required && !options[k])
      .map(([k]) => `--${k}`);
    if (missing.length) throw new UsageError(`missing ${missing.join(", ")}`);
  } catch (error) {
    io.err(`hub ${commandName}: ${error instanceof Error ? error.message : String(error)}`);
    io.err(`Usage: hub ${command.usage}`);
    return 2;
  }

  try {
    getEnv();
    setLogLevel("warn");
    await migrateDatabase(await getDatabase());
    await command.run(options, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`hub ${commandName}: ${error.message}`);
      io.err(`Usage: hub ${command.usage}`);
      return 2;
    }
    if (error instanceof EnvError || error instanceof HubError) {
      io.err(`hub ${commandName}: ${error.message}`);
      return 1;
    }
    io.err(`hub ${commandName} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    // With REDIS_URL the command announced its change to the running instances; close that connection too, or
    // it would keep the process alive after the command.
    if (!options_.keepDatabaseOpen) await Promise.all([closeDatabase(), closeRedis()]);
  }
}
