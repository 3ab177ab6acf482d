/** Questions asked on a TTY. The default implementation wraps @inquirer/prompts. */
export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  /** What the answered question shows (default: the name). */
  short?: string;
  checked?: boolean;
}

/** Asked of any question: `escape: true` lets Esc close it (it then rejects with PromptEscaped). */
export interface EscapeOption {
  escape?: boolean;
}

export interface Prompter {
  input(
    message: string,
    options?: EscapeOption & {
      default?: string;
      validate?: (value: string) => true | string;
      /** Closes the prompt (it then rejects) when the answer came another way. */
      signal?: AbortSignal;
    },
  ): Promise<string>;
  password(message: string, options?: EscapeOption): Promise<string>;
  confirm(message: string, options?: EscapeOption & { default?: boolean }): Promise<boolean>;
  select<T>(
    message: string,
    choices: Choice<T>[],
    options?: EscapeOption & {
      default?: T;
      /** How many choices show at once (the rest scroll). */
      pageSize?: number;
    },
  ): Promise<T>;
  checkbox<T>(message: string, choices: Choice<T>[], options?: EscapeOption): Promise<T[]>;
}

/** The user pressed Esc on a question asked with `escape: true`: go back, nothing was answered. */
export class PromptEscaped extends Error {
  constructor() {
    super('escaped');
    this.name = 'PromptEscaped';
  }
}
