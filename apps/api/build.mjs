// Node 20 cannot import the workspace packages' .ts sources: bundle the API with esbuild,
// inlining @karte/* and leaving npm packages external (they are installed beside it).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts', 'src/audit-verify.ts', 'src/masters-import.ts'],
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
