import type { TransformerDefinition } from './transformer-types.js';

/** Transformer definitions by CCR name. */
export class TransformerRegistry {
  private readonly definitions = new Map<string, TransformerDefinition>();

  constructor(definitions: readonly TransformerDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  /** Adds (or replaces) a definition. */
  register(definition: TransformerDefinition): this {
    this.definitions.set(definition.name, definition);
    return this;
  }

  get(name: string): TransformerDefinition | undefined {
    return this.definitions.get(name);
  }

  /** A copy with `definitions` added; like CCR, a loaded name overrides a built-in one. */
  extend(definitions: readonly TransformerDefinition[]): TransformerRegistry {
    return new TransformerRegistry([...this.definitions.values(), ...definitions]);
  }

  /** Known names, sorted, for error messages. */
  names(): string[] {
    return [...this.definitions.keys()].sort((left, right) => left.localeCompare(right));
  }
}
