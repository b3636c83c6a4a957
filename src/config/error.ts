/** A setting the server cannot start with; its message names the variable and what is wrong. */
export class ConfigError extends Error {}
