// Lint rules for the whole repository (`npm run lint`, part of `npm test`). Type-aware where it catches real bugs:
// promises nobody awaits or handles, promises passed where a callback's result is ignored, assertions the types
// already make unnecessary. app/ is the UI edge: it never imports drizzle or a *.server module except for types.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["drizzle-orm", "drizzle-orm/*", "@libsql/*"],
              message: "app/ is the UI edge: ask a server function.",
              allowTypeImports: true,
            },
            {
              regex: "\\.server$",
              message: "app/ imports *.server modules only as types (loaders call server functions by re-export).",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  { files: ["**/*.js", "bin/**"], ...tseslint.configs.disableTypeChecked },
);
