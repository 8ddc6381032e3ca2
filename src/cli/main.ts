/** `nabla <command> [options]`: dispatches to the subcommands; user errors print one line, never a stack trace. */
import '../index.js';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { commands } from './commands.js';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: nabla <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'nabla <command> --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`nabla: unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`nabla ${name}: ${message}`);
    if (!(err instanceof UsageError) && process.env.NABLA_DEBUG) console.error(err);
    return err instanceof UsageError ? 2 : 1;
  }
}

// `nabla … | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
