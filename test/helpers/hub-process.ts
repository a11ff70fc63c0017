/**
 * The production hub as a real process (`node bin/start.js`) for crash and scale-out tests: the hub CLI on the same
 * data directory, a start that resolves with the URL once the hub listens, and a SIGKILL that waits for the exit.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";

export interface HubProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGKILL, as a crash would, resolved once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful), resolved with the exit code. */
  stop(): Promise<number | null>;
}

export function hubCli(env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync(process.execPath, ["bin/hub.js", ...args], { env, encoding: "utf8" }).trim();
}

/** The mock provider with `mock/mock-chat` at $1,000 / $2,000 per million tokens: every call costs a visible amount. */
export function addPricedMockChat(env: NodeJS.ProcessEnv): void {
  hubCli(env, "providers", "add", "--kind", "mock", "--name", "mock");
  const rates = ["--input-rate", "1000", "--output-rate", "2000"];
  hubCli(env, "models", "add", "--provider", "mock", "--model", "mock-chat", ...rates);
}

/** A user and an access key of theirs; the key (the CLI prints it alone on its last line). */
export function createUserWithKey(env: NodeJS.ProcessEnv, email: string, keyName = "k"): string {
  hubCli(env, "users", "create", "--email", email);
  const key = hubCli(env, "keys", "create", "--user", email, "--name", keyName).split("\n").at(-1);
  if (!key) throw new Error(`no key printed for ${email}`);
  return key;
}

/** Needs LOG_LEVEL info or debug: the "AI Hub listening" line says where it listens. */
export function startHubProcess(env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<HubProcess> {
  const child = spawn(process.execPath, ["bin/start.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  // A request log line per call under load: keep the start and the most recent output only.
  const keep = (c: Buffer) => (out = (out + c.toString()).slice(-200_000));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.stderr.on("data", keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${out}`)), timeoutMs);
    void exited.then((code) => reject(new Error(`hub exited with ${code}:\n${out}`)));
    child.stdout.on("data", (c: Buffer) => {
      keep(c);
      const m = /"msg":"AI Hub listening","url":"([^"]+)"/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        child,
        url: m[1]!,
        output: () => out,
        kill9: async () => {
          child.kill("SIGKILL");
          await exited;
        },
        stop: async () => {
          child.kill("SIGTERM");
          return exited;
        },
      });
    });
  });
}
