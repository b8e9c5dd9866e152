import type { Command } from "commander";
import { register as audit } from "./audit.ts";
import { register as collect } from "./collect.ts";
import { register as demo } from "./demo.ts";
import { register as ice } from "./ice.ts";
import { register as init } from "./init.ts";
import { register as lineage } from "./lineage.ts";
import { register as report } from "./report.ts";
import { register as rse } from "./rse.ts";
import { register as transcripts } from "./transcripts.ts";
import { register as verify } from "./verify.ts";

/** Every command, in the order `--help` lists them. */
export const commandRegistrations: Array<(program: Command) => void> = [
  collect,
  ice,
  rse,
  lineage,
  audit,
  init,
  report,
  verify,
  demo,
  transcripts,
];
