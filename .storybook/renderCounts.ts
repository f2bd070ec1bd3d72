/**
 * Counts the renders of each component, as React's developer tools see them: React reports every
 * commit to a global hook that must exist before `react-dom` loads. Stories read the counts to
 * hold performance contracts ("settled messages render 0 times") as numbers, not as timings.
 */

/** One component's renders: how many in all, and how many of each element key (a message id). */
export interface ComponentRenders {
  total: number;
  byKey: Map<string, number>;
}

/** What the stories read. */
export interface RenderCounts {
  /** Whether React reported to the hook: false when `react-dom` loaded before it was installed. */
  readonly connected: boolean;
  /** Renders by component name since the last `reset()`. */
  readonly components: Map<string, ComponentRenders>;
  /** Commits since the last `reset()`. */
  readonly commits: number;
  reset(): void;
}

/** The parts of a fiber the counter reads (React's internal shape, stable since React 16). */
interface Fiber {
  tag: number;
  key: string | null;
  type: unknown;
  flags: number;
  child: Fiber | null;
  sibling: Fiber | null;
  alternate: Fiber | null;
}

declare global {
  interface Window {
    sluiceRenderCounts?: RenderCounts;
    __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown;
  }
}

/** Function, class, forward-ref, memo and simple-memo components: the fibers that "render". */
const COMPONENT_TAGS = new Set([0, 1, 11, 14, 15]);
/** React's flag for a component that ran its render in this commit. */
const PERFORMED_WORK = 1;

function nameOf(type: unknown): string | undefined {
  if (typeof type === 'function') {
    const component = type as { displayName?: string; name?: string };
    return component.displayName ?? component.name;
  }
  if (typeof type === 'object' && type !== null) {
    const wrapper = type as { displayName?: string; type?: unknown; render?: unknown };
    return wrapper.displayName ?? nameOf(wrapper.type ?? wrapper.render);
  }
  return undefined;
}

function install(): RenderCounts {
  let connected = false;
  let commits = 0;
  const components = new Map<string, ComponentRenders>();
  const count = (fiber: Fiber) => {
    const name = nameOf(fiber.type);
    if (name === undefined || name === '') return;
    let renders = components.get(name);
    if (renders === undefined) components.set(name, (renders = { total: 0, byKey: new Map() }));
    renders.total++;
    if (fiber.key !== null) renders.byKey.set(fiber.key, (renders.byKey.get(fiber.key) ?? 0) + 1);
  };
  /** A subtree that mounted in this commit: every component in it rendered. */
  const mounted = (fiber: Fiber) => {
    if (COMPONENT_TAGS.has(fiber.tag)) count(fiber);
    for (let child = fiber.child; child !== null; child = child.sibling) mounted(child);
  };
  /**
   * Walks the committed tree beside the one before it, as the developer tools do: a child list
   * that is the same object as before was not visited by React, so nothing in it rendered.
   */
  const updated = (next: Fiber, previous: Fiber) => {
    if (COMPONENT_TAGS.has(next.tag) && (next.flags & PERFORMED_WORK) === PERFORMED_WORK) count(next);
    if (next.child === previous.child) return;
    for (let child = next.child; child !== null; child = child.sibling) {
      if (child.alternate === null) mounted(child);
      else updated(child, child.alternate);
    }
  };
  let renderers = 0;
  // React looks for this exact global name when it loads; it is not ours to rename.
  // oxlint-disable-next-line no-underscore-dangle
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject() {
      connected = true;
      return ++renderers;
    },
    onCommitFiberRoot(_renderer: number, root: { current: Fiber }) {
      commits++;
      const current = root.current;
      if (current.alternate === null) mounted(current);
      else updated(current, current.alternate);
    },
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    checkDCE() {},
  };
  return {
    get connected() {
      return connected;
    },
    components,
    get commits() {
      return commits;
    },
    reset() {
      components.clear();
      commits = 0;
    },
  };
}

if (typeof window !== 'undefined' && window.sluiceRenderCounts === undefined) {
  window.sluiceRenderCounts = install();
}
