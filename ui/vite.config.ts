import { defineConfig } from "vitest/config";

// The app's CSP forbids inline scripts and styles: everything is emitted as
// files next to index.html, loaded relative to it (base "./").
export default defineConfig({
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
  server: { strictPort: true, port: 1420 },
  test: {
    environment: "jsdom",
    include: ["tests/unit/**/*.test.ts"],
  },
});
