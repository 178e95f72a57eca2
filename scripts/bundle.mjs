// Node 20 cannot import the workspace packages' .ts sources: bundle an app with esbuild, inlining
// @karte/* and leaving npm packages external (they are installed beside it).
// Usage (from an app folder): node ../../scripts/bundle.mjs src/main.ts [src/other.ts …]
import { build } from 'esbuild';

await build({
  entryPoints: process.argv.slice(2),
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-npm',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@karte/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
