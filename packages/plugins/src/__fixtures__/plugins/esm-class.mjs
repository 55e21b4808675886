// ESM default export: a class, constructed with (config, context).
export default class ClassPlugin {
  constructor(config) {
    this.name = 'esm-class';
    this.prefix = config.prefix ?? 'class';
    this.calls = 0;
  }

  beforeRouting(context) {
    this.calls += 1;
    return { ...context, metadata: { ...context.metadata, classTag: `${this.prefix}-${this.calls}` } };
  }
}
