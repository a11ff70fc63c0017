// Lint rules for the whole repository (`npm run lint`, part of `npm test`). Type-aware where it catches real bugs:
// promises nobody awaits or handles, promises passed where a callback's result is ignored, assertions the types
// already make unnecessary. app/ is the HTTP/UI edge: it never imports drizzle (except for types), and only route
// modules and entry.server.tsx import *.server modules for more than types.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Route modules and the server entry run only on the server: Remix's Vite plugin strips their loaders and actions
// (and the *.server imports those use) from the client bundle. Everything else in app/ may reach the browser.
// See docs/decisions/015-lint-and-format.md.
const SERVER_EDGE = ["app/routes/**", "app/entry.server.tsx"];
const NO_DATABASE = {
  group: ["drizzle-orm", "drizzle-orm/*", "@libsql/*"],
  message: "app/ is the HTTP/UI edge: ask a server function instead of the database.",
  allowTypeImports: true,
};
const NO_SERVER_MODULE = {
  regex: "\\.server$",
  message: "Components, hooks and lib code may reach the browser: import *.server modules only as types.",
  allowTypeImports: true,
};

export default tseslint.config(
  {
    ignores: [
      "build/",
      "node_modules/",
      "public/",
      "test-results/",
      "playwright-report/",
      "data/",
      ".cache/",
      "bench/results/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      "no-empty": ["error", { allowEmptyCatch: false }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: SERVER_EDGE,
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [NO_DATABASE, NO_SERVER_MODULE] }] },
  },
  {
    files: SERVER_EDGE,
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [NO_DATABASE] }] },
  },
  {
    // Playwright reads a fixture's dependencies from its first parameter's destructuring: `{}` means "none".
    files: ["e2e/fixtures/**"],
    rules: { "no-empty-pattern": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs", "bin/**"],
    ...tseslint.configs.disableTypeChecked,
    // Plain Node scripts (bin/): the globals they use, without a package for the whole list.
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: "readonly", console: "readonly" },
    },
  },
);
