#!/usr/bin/env node
// The hbroker command: the compiled CLI.
import '../lib/cli/main.js';
