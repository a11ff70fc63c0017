/**
 * Libraries the server has no use for (charts, Markdown) are imported only from `.client.tsx` modules, which the
 * Remix build leaves empty on the server, so the server process never loads them (docs/decisions/021-server-memory.md).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const BROWSER_ONLY = ["recharts", "react-markdown", "remark-gfm", "rehype-highlight"];
const appDir = path.dirname(new URL(import.meta.url).pathname);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

describe("browser-only libraries", () => {
  it("are imported from .client modules only", () => {
    const offenders: string[] = [];
    let clientImports = 0;
    for (const file of sources(appDir)) {
      const text = fs.readFileSync(file, "utf8");
      for (const name of BROWSER_ONLY) {
        if (!new RegExp(`from "${name}(/[^"]*)?"`).test(text)) continue;
        if (/\.client\.tsx?$/.test(file)) clientImports++;
        else offenders.push(`${path.relative(appDir, file)} imports ${name}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(clientImports).toBeGreaterThanOrEqual(BROWSER_ONLY.length);
  });
});
