/** Questions asked on a TTY. The default implementation wraps @inquirer/prompts. */
export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  checked?: boolean;
}

export interface Prompter {
  input(
    message: string,
    options?: {
      default?: string;
      validate?: (value: string) => true | string;
      /** Closes the prompt (it then rejects) when the answer came another way. */
      signal?: AbortSignal;
    },
  ): Promise<string>;
  password(message: string): Promise<string>;
  confirm(message: string, options?: { default?: boolean }): Promise<boolean>;
  select<T>(message: string, choices: Choice<T>[], options?: { default?: T }): Promise<T>;
  checkbox<T>(message: string, choices: Choice<T>[]): Promise<T[]>;
}
