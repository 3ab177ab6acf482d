import { checkbox, confirm, input, password, select } from '@inquirer/prompts';
import { InterruptedError } from './errors.js';
import type { Prompter } from './prompter.js';

/** Prompts on the terminal; Ctrl-C while a prompt is open becomes exit 130. */
export function createInquirerPrompter(streams: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}): Prompter {
  const context = { input: streams.input, output: streams.output, clearPromptOnDone: false };
  const guard = async <T>(ask: () => Promise<T>): Promise<T> => {
    try {
      return await ask();
    } catch (error) {
      if (error instanceof Error && error.name === 'ExitPromptError') throw new InterruptedError();
      throw error;
    }
  };
  return {
    input: (message, options) =>
      guard(() =>
        input(
          { message, default: options?.default, validate: options?.validate },
          (options?.signal ? { ...context, signal: options.signal } : context) as never,
        ),
      ),
    password: (message) => guard(() => password({ message, mask: '*' }, context as never)),
    confirm: (message, options) =>
      guard(() => confirm({ message, default: options?.default }, context as never)),
    select: (message, choices, options) =>
      guard(() => select({ message, choices, default: options?.default }, context as never)),
    checkbox: (message, choices) => guard(() => checkbox({ message, choices }, context as never)),
  };
}
