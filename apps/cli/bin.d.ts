// `@conduit/cli/bin` runs the CLI when imported; it exports nothing.
export {};
