/** The Conduit dashboard: a hash-routed Preact app (one bundle, no server-side routing needed). */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { BudgetsPage } from './pages/budgets';
import { ConfigPage } from './pages/config';
import { OverviewPage } from './pages/overview';
import { ProvidersPage } from './pages/providers';
import { RequestsPage } from './pages/requests';
import { RoutingPage } from './pages/routing';

const pages = [
  ['overview', 'Overview'],
  ['requests', 'Requests'],
  ['routing', 'Routing'],
  ['providers', 'Providers'],
  ['config', 'Config'],
  ['budgets', 'Budgets'],
] as const;

type PageName = (typeof pages)[number][0];

function readLocation(): { page: PageName; query: URLSearchParams } {
  const [path = '', search = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  const page = pages.some(([name]) => name === path) ? (path as PageName) : 'overview';
  return { page, query: new URLSearchParams(search) };
}

function App() {
  const [location, setLocation] = useState(readLocation);
  const [session, setSession] = useState<{ authRequired: boolean } | null>(null);
  useEffect(() => {
    const onChange = () => setLocation(readLocation());
    window.addEventListener('hashchange', onChange);
    api.get<{ authRequired: boolean }>('/ui/api/session').then(setSession, () => undefined);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  useEffect(() => {
    const title = pages.find(([name]) => name === location.page)?.[1] ?? '';
    document.title = `${title} · Conduit`;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.page]);

  const logout = async () => {
    await api.post('/ui/logout', {});
    window.location.reload();
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Conduit</span>
        <nav aria-label="Pages">
          <ul>
            {pages.map(([name, label]) => (
              <li key={name}>
                <a href={`#/${name}`} aria-current={location.page === name ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {session?.authRequired ? (
          <button type="button" class="link-button" onClick={logout}>
            Sign out
          </button>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {location.page === 'overview' ? <OverviewPage /> : null}
        {location.page === 'requests' ? <RequestsPage /> : null}
        {location.page === 'routing' ? (
          <RoutingPage requestId={location.query.get('request') ?? undefined} />
        ) : null}
        {location.page === 'providers' ? <ProvidersPage /> : null}
        {location.page === 'config' ? <ConfigPage /> : null}
        {location.page === 'budgets' ? <BudgetsPage /> : null}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
