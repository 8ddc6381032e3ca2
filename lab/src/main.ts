/** The lab's shell: hash routing between the pages (#/optimizers?…), the navigation bar. */
import './styles.css';
import type { Page } from './pages/page.js';
import { pages } from './pages/index.js';

const nav = document.getElementById('nav')!;
const main = document.getElementById('page')!;
let unmount: (() => void) | null = null;
let current: string | null = null;

function parseHash(): { route: string; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, '');
  const [route, query = ''] = hash.split('?');
  return { route, params: new URLSearchParams(query) };
}

function renderNav(active: string): void {
  nav.replaceChildren(
    ...pages.map((p) => {
      const a = document.createElement('a');
      a.href = `#/${p.route}`;
      a.textContent = p.title;
      if (p.route === active) a.setAttribute('aria-current', 'page');
      return a;
    }),
  );
}

function route(): void {
  const { route: name, params } = parseHash();
  const page: Page | undefined = pages.find((p) => p.route === name);
  if (!page) {
    location.replace(`#/${pages[0].route}`);
    return;
  }
  // Pages rewrite their own query (URL-hash state) without remounting.
  if (name === current) return;
  unmount?.();
  main.replaceChildren();
  current = name;
  renderNav(name);
  document.title = `${page.title} — nabla lab`;
  unmount = page.mount(main, params);
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
route();
