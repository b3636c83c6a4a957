/** Time bounds for a scenario's phases: each ends at its own limit or when the runner aborts. */

/** Resolves once `ms` passed or `signal` aborted, whichever comes first. */
export function deadline(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    if (signal.aborted) done();
    else signal.addEventListener("abort", done);
  });
}

/** `work`'s result, or `fallback` once `ms` passed or `signal` aborted. */
export function bounded<T>(work: Promise<T>, ms: number, signal: AbortSignal, fallback: T): Promise<T> {
  return Promise.race([work, deadline(ms, signal).then(() => fallback)]);
}
