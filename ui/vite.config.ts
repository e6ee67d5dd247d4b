import { defineConfig } from "vitest/config";

// The app's CSP forbids inline scripts and styles: everything is emitted as
// files next to index.html, loaded relative to it (base "./").
export default defineConfig(({ mode }) => ({
  base: "./",
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebView2 (Windows), WKWebView (macOS 10.15+), WebKitGTK (Linux).
    target: ["es2021", "chrome105", "safari15"],
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: false,
  },
  server: {
    strictPort: true,
    port: 1420,
    // The unit tests read what the engine's redactor writes (the technician
    // copy snapshot), so the UI's test proves the text it copies is that one.
    ...(mode === "test"
      ? {
          fs: {
            allow: [
              ".",
              decodeURIComponent(
                new URL("../crates/core/tests/snapshots/", import.meta.url).pathname,
              ),
            ],
          },
        }
      : {}),
  },
  test: {
    environment: "jsdom",
    include: ["tests/unit/**/*.test.ts"],
  },
}));
