/**
 * The Prometheus scrape job for the hub's GET /metrics, with the token left as a placeholder: the page never has
 * the token after it was shown once, and a config pasted from here should not carry one by accident. Pure.
 */
export function scrapeConfig(metricsUrl: string, tokenPlaceholder = "<your metrics token>"): string {
  let url: URL;
  try {
    url = new URL(metricsUrl);
  } catch {
    url = new URL("http://localhost:3000/metrics");
  }
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return [
    "scrape_configs:",
    "  - job_name: ai-hub",
    `    scheme: ${url.protocol.replace(":", "")}`,
    `    metrics_path: ${url.pathname}`,
    "    authorization:",
    "      type: Bearer",
    `      credentials: "${tokenPlaceholder}"`,
    "    static_configs:",
    `      - targets: ["${url.hostname}:${port}"]`,
  ].join("\n");
}
