/**
 * Config: the Providers/Router form beside the JSON5 text, both validated live by the gateway's
 * own validator; Save writes atomically with a backup and the gateway reloads.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote, IssueList, Panel } from '../components/ui-kit';
import type { ConfigIssue } from '../types';
import { ConfigForm } from './config-form';

interface ConfigFile {
  path: string | null;
  writable: boolean;
  exists: boolean;
  revision: string;
  text: string;
  config: Record<string, unknown> | null;
  issues: ConfigIssue[];
}

interface Validation {
  valid: boolean;
  issues: ConfigIssue[];
  config: Record<string, unknown> | null;
}

type SaveAnswer =
  | { saved: true; revision: string; backup: string | null; reloaded: boolean }
  | { saved: false; error: { message: string }; issues: ConfigIssue[] };

export function ConfigPage() {
  const [file, setFile] = useState<ConfigFile | null>(null);
  const [text, setText] = useState('');
  const [validation, setValidation] = useState<Validation | null>(null);
  const [status, setStatus] = useState<string>('');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(0);

  const load = useCallback(() => {
    api.get<ConfigFile>('/ui/api/config').then(result => {
      setFile(result);
      setText(result.text || '{\n  "Providers": [],\n  "Router": {}\n}\n');
      setValidation({
        valid: !result.issues.some(issue => issue.severity !== 'warning'),
        issues: result.issues,
        config: result.config,
      });
    }, setError);
  }, []);
  useEffect(load, [load]);

  const validate = useCallback((next: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      const ticket = ++latest.current;
      try {
        const result = await api.post<Validation>('/ui/api/config/validate', { text: next });
        if (ticket === latest.current) setValidation(result);
      } catch (failure) {
        setError(failure);
      }
    }, 250);
  }, []);

  const edit = (next: string) => {
    setText(next);
    setStatus('');
    validate(next);
  };

  const save = async () => {
    if (!file) return;
    setSaving(true);
    setStatus('');
    try {
      clearTimeout(timer.current);
      const answer = await api.put<SaveAnswer>('/ui/api/config', { text, revision: file.revision });
      if (answer.saved) {
        setFile({ ...file, revision: answer.revision, exists: true });
        setStatus(
          `Saved. ${answer.backup ? `Backup: ${answer.backup}. ` : ''}${answer.reloaded ? 'The gateway applied it.' : 'The gateway could not apply it; see its log.'}`,
        );
      } else {
        setValidation({ valid: false, issues: answer.issues, config: validation?.config ?? null });
        setStatus(answer.error.message);
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };

  const formConfig = validation?.config ?? null;
  const errors = validation?.issues.filter(issue => issue.severity !== 'warning').length ?? 0;
  const canSave = Boolean(file?.writable && validation?.valid && !saving);
  return (
    <div>
      <div class="toolbar">
        <h1>Config</h1>
        <span class="muted">{file?.path ?? 'no config file'}</span>
        <button type="button" class="primary" id="save-config" disabled={!canSave} onClick={save}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <ErrorNote error={error} />
      {file && !file.writable ? (
        <p class="warning-note">
          This gateway runs without a config file, so the config is read-only here.
        </p>
      ) : null}
      <p class="status-line" role="status" id="config-status">
        {validation
          ? validation.valid
            ? `Valid${validation.issues.length > 0 ? ` (${validation.issues.length} warning${validation.issues.length === 1 ? '' : 's'})` : ''}.`
            : `${errors} problem${errors === 1 ? '' : 's'}: not saved until fixed.`
          : ''}{' '}
        {status}
      </p>
      <IssueList issues={validation?.issues ?? []} id="config-issues" />
      <div class="grid-2 config-layout">
        <Panel title="Providers and routes">
          {formConfig ? (
            <ConfigForm
              config={formConfig}
              disabled={!file?.writable}
              onChange={next => edit(`${JSON.stringify(next, null, 2)}\n`)}
            />
          ) : (
            <p class="muted">Fix the syntax in the editor to use the form.</p>
          )}
          <p class="muted">
            The form rewrites the file as plain JSON (comments are dropped); edit the text to keep
            them.
          </p>
        </Panel>
        <Panel title="JSON5">
          <label for="config-text" class="visually-hidden">
            Config file (JSON5)
          </label>
          <textarea
            id="config-text"
            class="code"
            rows={32}
            spellcheck={false}
            value={text}
            aria-invalid={validation ? !validation.valid : undefined}
            aria-describedby="config-issues config-status"
            readOnly={!file?.writable}
            onInput={event => edit(event.currentTarget.value)}
            onKeyDown={event => {
              if ((event.ctrlKey || event.metaKey) && event.key === 's') {
                event.preventDefault();
                if (canSave) void save();
              }
            }}
          />
        </Panel>
      </div>
    </div>
  );
}
