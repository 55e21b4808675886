/**
 * Reading, validating and saving the gateway's config file for the browser, with secrets kept on
 * the server ({@link SecretRedactor}). Shared by the UI's own endpoints and CCR's `/api/config`.
 * @module
 */
import {
  type ConfigIssue,
  type ConfigValidator,
  type Logger,
  writeConfigFile,
} from '@conduit/core';
import type { UIGateway } from '../ui-gateway.js';
import { findSecrets, SecretRedactor } from './config-secrets.js';
import { readConfigFile, revisionOf, validateConfigText } from './config-file.js';

/** The file as the browser may see it. */
export interface RedactedConfigFile {
  path: string | null;
  /** False without a config file path (the gateway runs from an inline config). */
  writable: boolean;
  exists: boolean;
  revision: string;
  /** JSON5 text with secrets as `[redacted:…]` placeholders. */
  text: string;
  /** The parsed file (redacted), or null when it does not parse. */
  config: unknown;
  issues: ConfigIssue[];
}

/** What a validation tells the browser. */
export interface RedactedValidation {
  valid: boolean;
  issues: ConfigIssue[];
  config: unknown;
}

export type SaveResult =
  | {
      saved: true;
      revision: string;
      backup: string | null;
      reloaded: boolean;
      issues: ConfigIssue[];
    }
  | { saved: false; status: 409 | 422 | 503; message: string; issues: ConfigIssue[] };

export class ConfigEditor {
  private readonly redactor = new SecretRedactor();

  constructor(
    private readonly options: {
      gateway: UIGateway;
      configPath?: string;
      validators?: ConfigValidator[];
      env?: NodeJS.ProcessEnv;
      keepBackups: number;
      now: () => number;
      logger?: Logger;
    },
  ) {}

  /** The running config's resolved keys: also redacted wherever they appear in the file. */
  private runningSecrets(): unknown[] {
    const config = this.options.gateway.config;
    return [
      config.APIKEY,
      ...config.Providers.flatMap(provider => [provider.api_key, ...(provider.api_keys ?? [])]),
    ];
  }

  private async currentSecrets(): Promise<{
    secrets: string[];
    text: string;
    revision: string;
    exists: boolean;
  }> {
    const path = this.options.configPath;
    const state = path
      ? await readConfigFile(path)
      : { text: '', exists: false, revision: revisionOf('') };
    const parsed = state.text ? validateConfigText(state.text, this.validationOptions()).raw : null;
    return { ...state, secrets: findSecrets(parsed, this.runningSecrets()) };
  }

  private validationOptions() {
    return {
      validators: this.options.validators,
      env: this.options.env,
      source: this.options.configPath,
    };
  }

  private redactIssues(issues: ConfigIssue[], secrets: readonly string[]): ConfigIssue[] {
    return issues.map(issue => this.redactor.redactValue(issue, secrets));
  }

  async read(): Promise<RedactedConfigFile> {
    const { secrets, text, revision, exists } = await this.currentSecrets();
    const validation = text
      ? validateConfigText(text, this.validationOptions())
      : { raw: {}, issues: [] };
    return {
      path: this.options.configPath ?? null,
      writable: this.options.configPath !== undefined,
      exists,
      revision,
      text: this.redactor.redactText(text, secrets),
      config: this.redactor.redactValue(validation.raw, secrets),
      issues: this.redactIssues(validation.issues, secrets),
    };
  }

  /** Validates an edited (redacted) text as the gateway would validate the saved file. */
  async validate(
    redactedText: string,
  ): Promise<RedactedValidation & { restoredText: string | null }> {
    const { secrets } = await this.currentSecrets();
    const restored = this.redactor.restoreText(redactedText, secrets);
    if (restored.unknown.length > 0) {
      return {
        valid: false,
        config: null,
        restoredText: null,
        issues: [
          {
            path: '',
            message: `${restored.unknown[0]} stands for a secret that is no longer in the config file.`,
            hint: 'type the key again, or better, reference an environment variable ("$PROVIDER_API_KEY").',
            severity: 'error',
          },
        ],
      };
    }
    const validation = validateConfigText(restored.text, this.validationOptions());
    const allSecrets = findSecrets(validation.raw, [...secrets]);
    return {
      valid: validation.valid,
      issues: this.redactIssues(validation.issues, allSecrets),
      config: this.redactor.redactValue(validation.raw, allSecrets),
      restoredText: validation.valid ? restored.text : null,
    };
  }

  /** Validates, backs up, writes atomically and hot-reloads; an invalid config is never written. */
  async save(redactedText: string, expectedRevision?: string): Promise<SaveResult> {
    const path = this.options.configPath;
    if (!path) {
      return {
        saved: false,
        status: 503,
        message: 'This gateway was started without a config file, so there is nothing to save to.',
        issues: [],
      };
    }
    const current = await readConfigFile(path);
    if (expectedRevision !== undefined && expectedRevision !== current.revision) {
      return {
        saved: false,
        status: 409,
        message:
          'The config file changed since you opened it. Reload to see the new version, then edit again.',
        issues: [],
      };
    }
    const validation = await this.validate(redactedText);
    if (!validation.valid || validation.restoredText === null) {
      return {
        saved: false,
        status: 422,
        message: 'The config is invalid and was not saved.',
        issues: validation.issues,
      };
    }
    const backup = await writeConfigFile(path, validation.restoredText, {
      keepBackups: this.options.keepBackups,
      now: new Date(this.options.now()),
    });
    const reloaded = await this.options.gateway.reloadConfigFile();
    this.options.logger?.info('config saved from the UI', { path, backup, reloaded });
    return {
      saved: true,
      revision: revisionOf(validation.restoredText),
      backup,
      reloaded,
      issues: validation.issues,
    };
  }
}
