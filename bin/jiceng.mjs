#!/usr/bin/env node
// Entry of the `jiceng` command. The sources are TypeScript run through tsx, so there is no
// separate compile step to forget after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
