/** The registered subcommands of `nabla`, in the order --help lists them. */
import type { Command } from './command.js';
import { trainCommand } from './train.js';
import { graphCommand } from './graph.js';
import { raceCommand } from './race.js';

export const commands: Command[] = [trainCommand, raceCommand, graphCommand];
