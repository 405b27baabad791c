#!/usr/bin/env node
// The `umcp` command. A file that exists before the build, so that installing the workspace can
// link it (the compiled entry it loads is in dist/).
import { main } from '../dist/main.js';

await main(process.argv.slice(2));
