import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  // Relative URLs everywhere, so the built site works from any sub-path of a static host
  // (GitHub Pages project sites, a mirror's /splitbrain/) without rebuilding.
  base: "./",
  // Node workers import the lab registry as ES modules; classic workers would need
  // everything inlined into one script per worker.
  worker: { format: "es" },
  build: { outDir: "dist", emptyOutDir: true },
});
