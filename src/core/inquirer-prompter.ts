import { checkbox, confirm, input, password, select } from '@inquirer/prompts';
import { InterruptedError } from './errors.js';
import { type EscapeOption, PromptEscaped, type Prompter } from './prompter.js';

interface Key {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
}

/** Prompts on the terminal; Ctrl-C while a prompt is open becomes exit 130. */
export function createInquirerPrompter(streams: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}): Prompter {
  const base = { input: streams.input, output: streams.output, clearPromptOnDone: false };
  /**
   * Runs one question. With `escape`, a lone Esc (readline reports it once no escape sequence
   * follows) closes the question through its abort signal and rejects with PromptEscaped.
   */
  const ask = async <T>(
    options: (EscapeOption & { signal?: AbortSignal }) | undefined,
    run: (context: never) => Promise<T>,
  ): Promise<T> => {
    const escaped = new AbortController();
    const onKey = (_text: unknown, key: Key | undefined) => {
      if (key?.name === 'escape' && !key.ctrl) escaped.abort();
    };
    const signals = [options?.signal, options?.escape ? escaped.signal : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const signal =
      signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    if (options?.escape) streams.input.on('keypress', onKey);
    try {
      return await run((signal ? { ...base, signal } : base) as never);
    } catch (error) {
      if (error instanceof Error && error.name === 'ExitPromptError') throw new InterruptedError();
      if (escaped.signal.aborted && error instanceof Error && error.name === 'AbortPromptError')
        throw new PromptEscaped();
      throw error;
    } finally {
      if (options?.escape) streams.input.removeListener('keypress', onKey);
    }
  };
  return {
    input: (message, options) =>
      ask(options, (context) =>
        input({ message, default: options?.default, validate: options?.validate }, context),
      ),
    password: (message, options) => ask(options, (context) => password({ message, mask: '*' }, context)),
    confirm: (message, options) =>
      ask(options, (context) => confirm({ message, default: options?.default }, context)),
    select: (message, choices, options) =>
      ask(options, (context) =>
        select(
          {
            message,
            choices,
            default: options?.default,
            ...(options?.pageSize ? { pageSize: options.pageSize } : {}),
          },
          context,
        ),
      ),
    checkbox: (message, choices, options) =>
      ask(options, (context) => checkbox({ message, choices }, context)),
  };
}
