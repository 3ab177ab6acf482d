/** A lazy value: made on the first call, shared by later ones. */
export interface Once<T> {
  (): Promise<T>;
  /** Whether the value was asked for (made, being made, or failed). */
  readonly ran: boolean;
}

/** Wraps an async factory so it runs at most once; later calls share the first promise. */
export function once<T>(make: () => Promise<T>): Once<T> {
  let value: Promise<T> | undefined;
  const get = () => {
    value ??= make();
    return value;
  };
  return Object.defineProperty(get, 'ran', { get: () => value !== undefined }) as Once<T>;
}
