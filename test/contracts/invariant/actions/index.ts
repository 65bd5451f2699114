/**
 * Every rewards action with its weight (how often fast-check draws it), as one weighted arbitrary of
 * commands for `fc.commands`.
 */
import fc from "fast-check";
import type { Fx } from "../fixture";
import type { Model } from "../model";
import { batchCommands } from "./batch";
import { channelCommands } from "./channels";
import { eventCommands } from "./events";
import { guardianCommands } from "./guardian";
import { signedCommands } from "./signed";
import { timeCommands } from "./time";

type Weighted = { weight: number; arbitrary: fc.Arbitrary<fc.AsyncCommand<Model, Fx>> };

export const rewardsCommandArbs: Weighted[] = [
  ...timeCommands,
  ...eventCommands,
  ...channelCommands,
  ...batchCommands,
  ...guardianCommands,
  ...signedCommands,
];

/** One arbitrary over all actions, weighted (fc.commands alone would draw each arbitrary equally often). */
export const rewardsCommand: fc.Arbitrary<fc.AsyncCommand<Model, Fx>> = fc.oneof(...rewardsCommandArbs);
