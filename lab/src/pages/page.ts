/** A lab page: mounted into the main element when its hash route is visited, unmounted when left. */
export interface Page {
  /** The hash route, e.g. 'optimizers' for #/optimizers. */
  route: string;
  /** The navigation label. */
  title: string;
  /** Renders the page into `root`; returns a function that stops its timers and workers. */
  mount(root: HTMLElement, params: URLSearchParams): () => void;
}
