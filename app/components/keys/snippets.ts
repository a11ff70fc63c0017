/**
 * Ready-to-run examples shown next to a new key. The base URL is `<PUBLIC_URL>/api/v2`, the hub's
 * OpenAI-compatible API, so the official SDKs work with only `baseURL` changed.
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
