import type { Config } from "tailwindcss";

/**
 * Theme tokens for AI Hub. Tailwind 4 reads this through `@config` in app/tailwind.css.
 * Colours are named by role (brand, surface, ink, line, ok, warn, danger), not by hue, so pages say what they mean.
 */
export default {
  content: ["./app/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        brand: {
          50: "#eef4ff",
          100: "#dbe6fe",
          200: "#bfd3fe",
          500: "#4f6ef7",
          600: "#3b55e6",
          700: "#2f43c4",
          900: "#1e2a6e",
        },
        surface: { DEFAULT: "#ffffff", muted: "#f6f7f9", sunken: "#eef0f3" },
        ink: { DEFAULT: "#111827", muted: "#4b5563", faint: "#6b7280" },
        line: { DEFAULT: "#e5e7eb", strong: "#d1d5db" },
        ok: { DEFAULT: "#15803d", soft: "#dcfce7" },
        warn: { DEFAULT: "#b45309", soft: "#fef3c7" },
        danger: { DEFAULT: "#b91c1c", soft: "#fee2e2" },
      },
      fontFamily: {
        sans: ["Inter", "ui-sans-serif", "system-ui", "Liberation Sans", "sans-serif"],
        mono: ["ui-monospace", "SFMono-Regular", "Liberation Mono", "monospace"],
      },
      borderRadius: { card: "0.75rem" },
      boxShadow: { card: "0 1px 2px rgb(16 24 40 / 0.06), 0 1px 3px rgb(16 24 40 / 0.1)" },
    },
  },
} satisfies Config;
