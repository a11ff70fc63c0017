/** Prometheus text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/): pure. */

export type Labels = Record<string, string>;

export const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

export function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

export class Exposition {
  private lines: string[] = [];

  family(name: string, type: "counter" | "gauge" | "histogram", help: string): this {
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, labels: Labels, value: number): this {
    this.lines.push(`${name}${labelText(labels)} ${Number.isFinite(value) ? value : 0}`);
    return this;
  }

  /** Cumulative `_bucket{le=...}` lines from per-bucket counts (the last count is the open-ended bucket). */
  histogram(
    name: string,
    labels: Labels,
    boundsSeconds: readonly number[],
    counts: number[],
    sumSeconds: number,
  ): this {
    let running = 0;
    boundsSeconds.forEach((le, i) => {
      running += counts[i] ?? 0;
      this.sample(`${name}_bucket`, { ...labels, le: String(le) }, running);
    });
    running += counts[boundsSeconds.length] ?? 0;
    this.sample(`${name}_bucket`, { ...labels, le: "+Inf" }, running);
    this.sample(`${name}_sum`, labels, sumSeconds);
    return this.sample(`${name}_count`, labels, running);
  }

  toString(): string {
    return this.lines.join("\n") + "\n";
  }
}
