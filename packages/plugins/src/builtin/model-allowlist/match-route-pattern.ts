/** A compiled `provider,model` glob pattern. */
export interface RoutePattern {
  source: string;
  matches(provider: string, model: string): boolean;
}

/**
 * Compiles a `provider,model` glob: `*` matches any run of characters (including `/` and `:`, which
 * model ids contain), `?` one character; matching is case-insensitive. The provider part ends at the
 * first comma, like Conduit's route strings. Throws on a pattern without a comma.
 */
export function compileRoutePattern(pattern: string): RoutePattern {
  const comma = pattern.indexOf(',');
  if (comma <= 0 || comma === pattern.length - 1) {
    throw new Error(
      `"${pattern}" is not a "provider,model" pattern (use "${pattern || 'provider'},*" for every model)`,
    );
  }
  const provider = globToRegExp(pattern.slice(0, comma).trim());
  const model = globToRegExp(pattern.slice(comma + 1).trim());
  return {
    source: pattern,
    matches: (providerName, modelName) => provider.test(providerName) && model.test(modelName),
  };
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map(character => {
      if (character === '*') return '.*';
      if (character === '?') return '.';
      return character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}$`, 'is');
}
