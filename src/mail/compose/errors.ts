/**
 * A send or draft request that cannot be turned into a message. `field` is the JSON path of the
 * offending value ("to[1].email"); the message names it and the rule, ready for a 400 body.
 */
export class ComposeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "ComposeError";
  }
}
