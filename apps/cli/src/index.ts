export { type RunIo, runCli } from './program.js';
