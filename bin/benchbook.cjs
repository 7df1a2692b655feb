#!/usr/bin/env node
// The command. libuv's thread pool is sized first (threads.cjs says why it must come before any
// ES module); a build on Linux then runs in a child process started with glibc's allocator set as
// malloc.cjs says; the command itself is benchbook.js.
require('./threads.cjs');
if (!require('./malloc.cjs').relaunch(process.argv.slice(2))) import('./benchbook.js');
