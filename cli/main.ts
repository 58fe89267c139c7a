// `strata <command> [args]`: loads and validates the configuration once, then hands
// over to the named command. Exit codes: 0 ok, 1 failure, 2 usage or configuration error.
import { ConfigError, loadConfig } from '../config/load.js';
import { PolicyFileError } from '../domain/policy/policy-document.js';
import { PropertyProtectionsFileError } from '../domain/protections/load.js';
import { EventStoreUnavailableError } from '../eventstore/port.js';
import { commands, findCommand } from './registry.js';

function help(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `usage: strata <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n'strata help <command>' shows a command's options.`;
}

/** Faults in what the operator gave strata: reported in one line, never as a stack trace. */
function isStartupError(error: unknown): error is Error {
  return [ConfigError, PolicyFileError, PropertyProtectionsFileError, EventStoreUnavailableError].some((kind) => error instanceof kind);
}

function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
}

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] === undefined ? undefined : findCommand(rest[0]);
    console.log(topic ? topic.usage : help());
    return 0;
  }
  const command = findCommand(name);
  if (!command) {
    console.error(`strata: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  try {
    return await command.run(rest, { config: loadConfig() });
  } catch (error) {
    if (isStartupError(error)) {
      console.error(`strata: ${error.message}`);
      return 2;
    }
    if (isArgumentError(error)) {
      console.error(`strata ${command.name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    throw error;
  }
}

run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
