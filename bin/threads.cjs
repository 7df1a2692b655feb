/**
 * Sizes libuv's thread pool to the machine's cores before Node starts the pool, unless
 * UV_THREADPOOL_SIZE is set already. The pool runs resvg's rasterising of every renderer's PNGs
 * (one in flight per renderer, beside its next chart's SVG) and the file reads; libuv's default
 * of four threads on a two-core machine cost the cold build of 100 experiments 7 % (medians of six, three of them
 * interleaved: 67.7 s with four threads, 63.1 s with two). libuv reads the variable
 * once, when the pool first takes work, which for an ES-module entry point is before its first
 * line runs: hence a CommonJS file, loaded first (bin/benchbook.cjs, and the benchmark's builds
 * through `node --require`).
 */
const { availableParallelism } = require('node:os');

/** Threads for a machine of `cores` cores: one per core, and never fewer than two, so that a file read need not wait for a rasteriser. */
function poolSize(cores) {
  return Math.max(2, cores);
}

if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(poolSize(availableParallelism()));

module.exports = { poolSize };
