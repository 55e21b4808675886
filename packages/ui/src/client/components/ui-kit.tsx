/** Small shared pieces: stat tiles, status badges, issue lists, errors, table headers. */
import type { ComponentChildren } from 'preact';
import type { ConfigIssue } from '../types';

export function Stat(props: {
  label: string;
  value: string;
  raw: number | null;
  id: string;
  detail?: string;
}) {
  return (
    <div class="stat" data-stat={props.id} data-value={props.raw ?? ''}>
      <div class="stat-label">{props.label}</div>
      <div class="stat-value">{props.value}</div>
      {props.detail ? <div class="stat-detail">{props.detail}</div> : null}
    </div>
  );
}

export function StatusBadge(props: { status: number; errorType: string | null }) {
  const ok = props.status < 400 && !props.errorType;
  return (
    <span class={`badge ${ok ? 'badge-ok' : 'badge-bad'}`} title={props.errorType ?? undefined}>
      {props.status}
      {props.errorType ? ` ${props.errorType}` : ''}
    </span>
  );
}

export function ErrorNote(props: { error: unknown }) {
  if (!props.error) return null;
  return (
    <p class="error-note" role="alert">
      {props.error instanceof Error ? props.error.message : String(props.error)}
    </p>
  );
}

export function IssueList(props: { issues: ConfigIssue[]; id: string }) {
  if (props.issues.length === 0) return null;
  return (
    <ul class="issues" id={props.id} aria-live="polite">
      {props.issues.map(issue => (
        <li
          key={`${issue.path}:${issue.message}`}
          class={issue.severity === 'warning' ? 'issue-warning' : 'issue-error'}
        >
          <strong>{issue.severity === 'warning' ? 'Warning' : 'Error'}</strong>{' '}
          <code>{issue.path || '(root)'}</code>: {issue.message}
          {issue.hint ? <div class="issue-hint">Fix: {issue.hint}</div> : null}
        </li>
      ))}
    </ul>
  );
}

export function Panel(props: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <section class="panel" aria-label={props.title}>
      <header class="panel-header">
        <h2>{props.title}</h2>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

/** Right-aligned column headers of numbers (the tables' tokens, cost and timing columns). */
export function NumericHeaders(props: { labels: readonly string[] }) {
  return (
    <>
      {props.labels.map(label => (
        <th key={label} scope="col" class="num">
          {label}
        </th>
      ))}
    </>
  );
}
