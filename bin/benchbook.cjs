#!/usr/bin/env node
// The command. libuv's thread pool is sized first (threads.cjs says why it must come before any
// ES module); then the command runs (benchbook.js).
require('./threads.cjs');
import('./benchbook.js');
