/** The registered subcommands of `nabla`, in the order --help lists them. */
import type { Command } from './command.js';
import { trainCommand } from './train.js';
import { graphCommand } from './graph.js';
import { raceCommand } from './race.js';
import { evaluateCommand } from './evaluate.js';
import { predictCommand } from './predict.js';
import { exportCommand } from './export.js';
import { generateCommand } from './generate.js';

export const commands: Command[] = [trainCommand, evaluateCommand, predictCommand, generateCommand, exportCommand, raceCommand, graphCommand];
