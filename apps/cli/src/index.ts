export { runCli, type RunIo } from "./program.js";
