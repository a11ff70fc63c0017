/**
 * Ready-to-run examples shown next to a new key. The base URL is `<PUBLIC_URL>/api/v2`, the hub's
 * OpenAI-compatible API, so the official SDKs work with only `baseURL` changed; the agent CLIs get their own
 * setup (Claude Code: the origin; Codex CLI: `<PUBLIC_URL>/v1`), as docs/api-contracts.md describes.
 */
export interface SnippetInput {
  hubUrl: string;
  apiKey: string;
  model: string;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function curlSnippet({ hubUrl, apiKey, model }: SnippetInput): string {
  const body = JSON.stringify({ model, messages: [{ role: "user", content: "Hello!" }] });
  return [
    `curl ${hubUrl}/api/v2/chat/completions \\`,
    `  -H "Authorization: Bearer ${apiKey}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d ${shellQuote(body)}`,
  ].join("\n");
}

export function nodeSnippet({ hubUrl, apiKey, model }: SnippetInput): string {
  return [
    `import OpenAI from "openai";`,
    ``,
    `const client = new OpenAI({`,
    `  apiKey: ${JSON.stringify(apiKey)},`,
    `  baseURL: ${JSON.stringify(`${hubUrl}/api/v2`)},`,
    `});`,
    ``,
    `const reply = await client.chat.completions.create({`,
    `  model: ${JSON.stringify(model)},`,
    `  messages: [{ role: "user", content: "Hello!" }],`,
    `});`,
    `console.log(reply.choices[0].message.content);`,
  ].join("\n");
}

export function pythonSnippet({ hubUrl, apiKey, model }: SnippetInput): string {
  return [
    `from openai import OpenAI`,
    ``,
    `client = OpenAI(api_key=${JSON.stringify(apiKey)}, base_url=${JSON.stringify(`${hubUrl}/api/v2`)})`,
    ``,
    `reply = client.chat.completions.create(`,
    `    model=${JSON.stringify(model)},`,
    `    messages=[{"role": "user", "content": "Hello!"}],`,
    `)`,
    `print(reply.choices[0].message.content)`,
  ].join("\n");
}

/**
 * Claude Code speaks Anthropic's Messages API: the base URL is the hub's origin (it adds `/v1/messages` itself), the
 * key goes as a Bearer token, and the model variables name hub models (or aliases) for every tier it asks for.
 */
export function claudeCodeSnippet({ hubUrl, apiKey, model }: SnippetInput): string {
  return [
    `export ANTHROPIC_BASE_URL=${shellQuote(hubUrl)}`,
    `export ANTHROPIC_AUTH_TOKEN=${shellQuote(apiKey)}`,
    `export ANTHROPIC_API_KEY=""`,
    `# Hub model names or aliases for the main model and each tier (Haiku runs background work)`,
    `export ANTHROPIC_MODEL=${shellQuote(model)}`,
    `export ANTHROPIC_DEFAULT_OPUS_MODEL=${shellQuote(model)}`,
    `export ANTHROPIC_DEFAULT_SONNET_MODEL=${shellQuote(model)}`,
    `export ANTHROPIC_DEFAULT_HAIKU_MODEL=${shellQuote(model)}`,
    `# When the model is not served by Anthropic itself:`,
    `export CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1`,
    ``,
    `claude`,
  ].join("\n");
}

/** Codex CLI speaks OpenAI's Responses API only (`wire_api = "responses"`), at `<hub>/v1`, with the key from an env variable. */
export function codexSnippet({ hubUrl, apiKey, model }: SnippetInput): string {
  return [
    `# ~/.codex/config.toml`,
    `model = ${JSON.stringify(model)}`,
    `model_provider = "hub"`,
    ``,
    `[model_providers.hub]`,
    `name = "AI Hub"`,
    `base_url = ${JSON.stringify(`${hubUrl}/v1`)}`,
    `env_key = "HUB_KEY"`,
    `wire_api = "responses"`,
    ``,
    `# Then, in your shell:`,
    `#   export HUB_KEY=${shellQuote(apiKey)}`,
    `#   codex`,
  ].join("\n");
}
