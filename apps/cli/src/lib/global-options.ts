/** Options every command accepts. */
export interface GlobalOptions {
  /** `--config <file>`: the config file to use instead of the default locations. */
  config?: string;
}
