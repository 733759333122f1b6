/**
 * Commander's own usage errors (an unknown option or command, a missing or extra argument, a value
 * its parser refused) as the error boundary's typed errors: a stable `USAGE_*` code, commander's
 * message, its "did you mean" as a hint, and the command it is about (whose `--help` the CLI's
 * advice names).
 * Commander prints nothing itself (`program.ts` silences its `outputError`), so each error is said
 * once, in the one format every other error has.
 */
import type { Command, CommanderError } from 'commander';
import type { ErrorCode } from '../error-codes.js';
import { closestNames } from '../deploy/closest-names.js';
import { ConfigError } from '../errors.js';

/** Commander's error codes (`commander/lib/command.js`) and ours; anything else is `USAGE_COMMAND_LINE`. */
const CODES: Readonly<Record<string, ErrorCode>> = {
  'commander.unknownOption': 'USAGE_UNKNOWN_OPTION',
  'commander.unknownCommand': 'USAGE_UNKNOWN_COMMAND',
  'commander.missingArgument': 'USAGE_MISSING_ARGUMENT',
  'commander.optionMissingArgument': 'USAGE_MISSING_ARGUMENT',
  'commander.missingMandatoryOptionValue': 'USAGE_MISSING_ARGUMENT',
  'commander.excessArguments': 'USAGE_TOO_MANY_ARGUMENTS',
  'commander.invalidArgument': 'USAGE_INVALID_ARGUMENT',
};

/** Commander's codes that are no error: help or the version was asked for. */
const NOT_ERRORS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/** True when commander stopped because help or the version was shown (exit 0). */
export function isHelpOrVersion(e: CommanderError): boolean {
  return NOT_ERRORS.has(e.code);
}

/**
 * The typed error for one of commander's usage errors; `argv` and `program` find the command it is
 * about (`details.command`).
 */
export function usageError(e: CommanderError, argv: readonly string[], program: Command): ConfigError {
  // Commander writes `error: …`, with a suggestion on a line of its own: `(Did you mean plan?)`.
  const text = e.message.replace(/^error: /, '');
  const suggestion = /\n\(Did you mean (.+)\?\)\s*$/.exec(text);
  const message = (suggestion ? text.slice(0, suggestion.index) : text).trim();
  const words = commandPath(argv, program);
  // A choice commander refused (`schedule lsit`) gets the closest choices, as commands do.
  const choice =
    /value '([^']*)' is invalid for argument '[^']*'\. Allowed choices are (.+)\.$|argument '([^']*)' is invalid\. Allowed choices are (.+)\.$/.exec(
      message,
    );
  const close = choice
    ? closestNames(choice[1] ?? choice[3] ?? '', (choice[2] ?? choice[4] ?? '').split(', '))
    : [];
  const didYouMean = suggestion ? suggestion[1] : close.length ? close.join(' or ') : undefined;
  return new ConfigError(CODES[e.code] ?? 'USAGE_COMMAND_LINE', message, {
    ...(didYouMean ? { hint: `Did you mean ${didYouMean}?` } : {}),
    // `advice.ts` names the command's --help from it.
    details: { commander: e.code, command: ['flowgate', ...words].join(' ') },
  });
}

/**
 * `--version` after a command's name (`flowgate diff "Main IVR" --version 3.0 4.0`, a typo for
 * `--versions`): commander takes the program's options anywhere, so it printed flowgate's version
 * and exited 0. Only `flowgate --version` prints the version; after a command it is an unknown
 * option of that command, with its closest options as "did you mean". Undefined when the command
 * line has no such `--version` (`export` has one of its own: `exportVersionFlag` renamed it).
 */
export function misplacedVersion(argv: readonly string[], program: Command): ConfigError | undefined {
  let at = program;
  const words: string[] = [];
  for (const word of argv) {
    if (word === '--') return undefined;
    if (word === '--version' || word.startsWith('--version=')) {
      if (at === program) return undefined;
      const flags = at.options.flatMap((o) => (o.long ? [o.long] : []));
      const close = closestNames('--version', flags);
      return new ConfigError('USAGE_UNKNOWN_OPTION', "unknown option '--version'", {
        hint: close.length
          ? `Did you mean ${close.join(' or ')}? Only \`flowgate --version\` prints flowgate's version.`
          : "Only `flowgate --version` (before any command) prints flowgate's version.",
        details: { commander: 'commander.unknownOption', command: ['flowgate', ...words].join(' ') },
      });
    }
    const sub = at.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) continue;
    words.push(sub.name());
    at = sub;
  }
  return undefined;
}

/** The program's options that take a value: their value is not a command word. */
const VALUED = new Set(['--region', '--base-url']);

/**
 * `flowgate help <topic>` with a topic that is no command: commander printed the root help and
 * exited 0. Here it is `USAGE_UNKNOWN_COMMAND` (exit 2) with the closest commands; undefined for
 * any other command line.
 */
export function unknownHelpTopic(argv: readonly string[], program: Command): ConfigError | undefined {
  const words = argv.filter((w, i) => !w.startsWith('-') && !VALUED.has(argv[i - 1] ?? ''));
  if (words[0] !== 'help' || words[1] === undefined) return undefined;
  const topic = words[1];
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(topic)) return undefined;
  const close = closestNames(topic, names);
  return new ConfigError('USAGE_UNKNOWN_COMMAND', `unknown command '${topic}' (flowgate help ${topic})`, {
    ...(close.length ? { hint: `Did you mean ${close.join(' or ')}?` } : {}),
    details: { commander: 'commander.unknownCommand', command: 'flowgate' },
  });
}

/**
 * True when commander printed a command's help because the command line named no command to run:
 * bare `flowgate`, or a group without its command (`flowgate audit`). The README's exit codes
 * count that as a usage error (exit 2); `--help` and `flowgate help <command>` asked for help (0).
 */
export function isHelpForMissingCommand(e: CommanderError): boolean {
  return e.code === 'commander.help' && e.exitCode !== 0;
}

/**
 * The words of the command `argv` runs, as far as they name commands (`audit verify`): each word
 * that names a subcommand of the command so far descends into it, anything else is skipped (options,
 * their values, arguments), so a mistyped command leaves the program itself.
 */
function commandPath(argv: readonly string[], program: Command): string[] {
  const words: string[] = [];
  let at = program;
  for (const word of argv) {
    if (word === '--') break;
    const sub = at.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) continue;
    words.push(sub.name());
    at = sub;
  }
  return words;
}
