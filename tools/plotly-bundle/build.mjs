// Builds the partial plotly.js bundle CareGap serves from assets/ (issue 15): plotly.js's own
// esbuild settings (its esbuild-config.js, which the npm package ships no longer: copied here),
// with only the trace types CareGap draws. (plotly.js's own builds also strip the attributes'
// descriptions; its 3.x rules do not parse 4.x's sources, and brotli takes most of that back.)
// dcc.Graph uses window.Plotly when it is defined, so Dash's full plotly.min.js (4.8 MB) is
// never requested. The version must be the plotly.js of the installed plotly Python package
// (plotly.offline.get_plotlyjs_version()): tests/app/test_plotly_bundle.py checks both.
//
//   cd tools/plotly-bundle && npm ci && npm run build
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import { build } from 'esbuild';
import { environmentPlugin } from 'esbuild-plugin-environment';
import { glsl } from 'esbuild-plugin-glsl';
import InlineCSSPlugin from 'esbuild-plugin-inline-css';

const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve('plotly.js/package.json'));
const version = require('plotly.js/package.json').version;

// plotly.js's esbuildConfig (esbuild-config.js, v4.1.1)
const config = {
  format: 'iife',
  globalName: 'Plotly',
  bundle: true,
  sourcemap: false,
  plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
  alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
  define: { global: 'window', 'define.amd': 'false' },
  target: 'es2016',
};

// scatter is in plotly.js's core; bar and heatmap for the charts, choroplethmap + scattermap for
// the map (MapLibre, no tiles: the map draws on a blank style). Every trace the figures draw must
// be here: tests/app/test_delivery.py reads the figures' go.<Trace> calls and this banner.
export const TRACES = ['bar', 'choroplethmap', 'heatmap', 'scattermap'];

const entry = path.join(root, 'lib', 'index-caregap.js');
fs.writeFileSync(
  entry,
  "'use strict';\nvar Plotly = require('./core');\nPlotly.register([\n" +
    TRACES.map((t) => `  require('./${t}'),`).join('\n') +
    "\n]);\nmodule.exports = Plotly;\n",
);
const out = path.resolve('..', '..', 'assets', '_vendor', `plotly-caregap-${version}.min.js`);
await build({
  ...config,
  entryPoints: [entry],
  outfile: out,
  minify: true,
  // the module is an IIFE whose global is Plotly: what dcc.Graph looks for
  footer: { js: 'window.Plotly = Plotly;' },
  banner: {
    js: `/** plotly.js v${version} (CareGap partial bundle: scatter, ${TRACES.join(', ')}) | MIT License | https://github.com/plotly/plotly.js */`,
  },
  logLevel: 'warning',
});
fs.unlinkSync(entry);
// Served as is to browsers that take brotli (dashboard/app/delivery.py): quality 11 is too slow
// to run per request (seconds for 3 MB), and saves ~15% over the per-request level.
const brotli = zlib.brotliCompressSync(fs.readFileSync(out), {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
});
fs.writeFileSync(`${out}.br`, brotli);
console.log(`${out}: ${fs.statSync(out).size} bytes, brotli ${brotli.length}`);
