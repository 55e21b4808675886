/**
 * The built client (`dist/client`), served from memory: hashed `assets/*` files are immutable
 * (cached for a year), `index.html` is revalidated on every load (`no-cache`), and each file is
 * sent brotli- or gzip-compressed when the browser accepts it (compressed once, at build time).
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';

interface Asset {
  body: Buffer;
  brotli?: Buffer;
  gzip?: Buffer;
  contentType: string;
  immutable: boolean;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * The content policy of the app's pages: only this origin's scripts, styles and connections.
 * Inline style attributes are allowed because the chart library sizes its canvas with them.
 */
export const appSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Candidate locations of `dist/client`, from the source tree (`src/server/assets`) or `dist/`. */
function defaultDirectories(): string[] {
  // Bundled into another package's dist (the CLI copies the client next to its bundle) or run
  // from this package's dist/ or src/server/assets/.
  const here = dirname(fileURLToPath(import.meta.url));
  return [resolve(here, 'client'), resolve(here, '../../../dist/client')];
}

function readAssets(directory: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const name = `${prefix}${entry.name}`;
      if (entry.isDirectory()) {
        walk(path, `${name}/`);
        continue;
      }
      if (name.endsWith('.gz') || name.endsWith('.br') || name.endsWith('.map')) continue;
      assets.set(name, {
        body: readFileSync(path),
        ...(existsSync(`${path}.br`) ? { brotli: readFileSync(`${path}.br`) } : {}),
        ...(existsSync(`${path}.gz`) ? { gzip: readFileSync(`${path}.gz`) } : {}),
        contentType: contentTypes[extname(name)] ?? 'application/octet-stream',
        immutable: name.startsWith('assets/'),
      });
    }
  };
  walk(directory, '');
  return assets;
}

/** The client's files, loaded on first use. */
export class UIAssets {
  private assets: Map<string, Asset> | undefined;
  private readonly directory: string | undefined;

  constructor(directory?: string) {
    this.directory =
      directory ??
      defaultDirectories().find(candidate => existsSync(join(candidate, 'index.html')));
  }

  /** Why the UI cannot be served, or null when it can. */
  get problem(): string | null {
    if (this.directory && existsSync(join(this.directory, 'index.html'))) return null;
    return 'The UI client is not built. Run "pnpm --filter @conduit/ui build" (installed packages ship it in dist/client).';
  }

  /** Answers `name` (`index.html`, `assets/app-<hash>.js`), or null when there is no such file. */
  serve(context: Context, name: string): Response | null {
    if (!this.directory) return null;
    this.assets ??= readAssets(this.directory);
    const asset = this.assets.get(name);
    if (!asset) return null;
    const accepted = context.req.header('accept-encoding') ?? '';
    const headers: Record<string, string> = {
      'content-type': asset.contentType,
      'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (asset.contentType.startsWith('text/html')) {
      headers['content-security-policy'] = appSecurityPolicy;
    }
    let body = asset.body;
    if (asset.brotli && /\bbr\b/.test(accepted)) {
      body = asset.brotli;
      headers['content-encoding'] = 'br';
    } else if (asset.gzip && /\bgzip\b/.test(accepted)) {
      body = asset.gzip;
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    const payload = context.req.method === 'HEAD' ? null : new Uint8Array(body);
    return new Response(payload, { status: 200, headers });
  }
}
