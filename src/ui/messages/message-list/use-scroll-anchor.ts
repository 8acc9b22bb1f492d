// Scroll state of the conversation: the reader keeps their place when older messages are
// prepended or new ones appended, whether they are at the bottom is tracked (for the "new
// messages" pill and for marking read), and scrolling near the top asks for the page before.
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Closer than this to the bottom counts as reading the newest messages. */
const BOTTOM_SLACK_PX = 80;

/** Set on the scroller by PLACE_AT_NEWEST: the scrollTop it placed it at. */
const PLACED_ATTRIBUTE = 'data-placed-at-newest';

/** Set on the scroller once the app has taken over its scrolling (PLACE_AT_NEWEST stops). */
const HYDRATED_ATTRIBUTE = 'data-scroll-managed';

/**
 * A server-rendered conversation runs this inline, right after its messages: it opens at the newest
 * message, as the app would, instead of at the top until the app hydrates and then jumping. The
 * page streams, so the list may still be hidden when this runs: it places it on the first frame it
 * is shown, unless the app has taken over by then. It notes where it placed it, so that hydration
 * keeps wherever the reader has scrolled since (a later change of height alone moves nothing).
 */
export const PLACE_AT_NEWEST = `(function(e){if(!e)return;(function p(){if(!e.isConnected||e.hasAttribute('${HYDRATED_ATTRIBUTE}'))return;if(!e.clientHeight)return requestAnimationFrame(p);e.scrollTop=e.scrollHeight;e.setAttribute('${PLACED_ATTRIBUTE}',String(e.scrollTop))})()})(document.currentScript&&document.currentScript.parentElement)`;

export function useScrollAnchor({
  firstId,
  lastKey,
  lastIsMine,
  lastSeq,
  onAtBottomChange,
}: {
  /** The oldest message shown: it changes when a page is prepended. */
  firstId: string | null;
  /** The newest item shown: it changes when one is appended. */
  lastKey: string | null;
  lastIsMine: boolean;
  /** The newest seq, remembered when the reader scrolls away from the bottom. */
  lastSeq: number;
  onAtBottomChange(atBottom: boolean): void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  /** The newest seq when the reader scrolled away from the bottom. */
  const [leftAtSeq, setLeftAtSeq] = useState(0);

  // Keep the reader's place: after older messages are prepended, after new ones are appended, and
  // on the first render (at the bottom).
  const prev = useRef<{ firstId: string | null; lastKey: string | null; height: number; stick: boolean }>({
    firstId: null,
    lastKey: null,
    height: 0,
    stick: true,
  });
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const p = prev.current;
    if (!el.hasAttribute(HYDRATED_ATTRIBUTE)) el.setAttribute(HYDRATED_ATTRIBUTE, '');
    if (p.lastKey === null && lastKey !== null) {
      // Placed at the newest message before hydrating (PLACE_AT_NEWEST): a reader who has scrolled
      // up since stays there (and older pages load from there); otherwise, to the newest.
      const placedAt = el.getAttribute(PLACED_ATTRIBUTE);
      el.removeAttribute(PLACED_ATTRIBUTE);
      if (placedAt !== null && Math.abs(el.scrollTop - Number(placedAt)) > 2 && !nearBottom(el)) {
        prev.current = { firstId, lastKey, height: el.scrollHeight, stick: false };
        // Its scroll happened before React listened: tell onScroll now (not at the bottom).
        el.dispatchEvent(new Event('scroll'));
        return;
      }
      el.scrollTop = el.scrollHeight;
    } else if (firstId !== p.firstId && lastKey === p.lastKey) {
      el.scrollTop += el.scrollHeight - p.height;
    } else if (lastKey !== p.lastKey && (p.stick || lastIsMine)) {
      el.scrollTop = el.scrollHeight;
    }
    prev.current = { firstId, lastKey, height: el.scrollHeight, stick: p.stick };
  }, [firstId, lastKey, lastIsMine]);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    const bottom = nearBottom(el);
    prev.current.stick = bottom;
    prev.current.height = el.scrollHeight;
    if (bottom !== atBottom) {
      setAtBottom(bottom);
      if (!bottom) setLeftAtSeq(lastSeq);
      onAtBottomChange(bottom);
    }
  }

  function toBottom() {
    const el = scroller.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
  }

  return { scroller, onScroll, toBottom, atBottom, leftAtSeq };
}

function nearBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
}

/**
 * Scrolling near the top reads the page before. A new observer per page: it reports at once
 * whether the sentinel is still in view (a short page may need another).
 */
export function useLoadOlderOnScroll({
  scroller,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  firstId,
}: {
  scroller: RefObject<HTMLDivElement | null>;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  firstId: string | null;
}) {
  const topSentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = topSentinel.current;
    const root = scroller.current;
    if (!el || !root || !hasOlder || loadingOlder) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) onLoadOlder();
      },
      { root, rootMargin: '300px 0px 0px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [scroller, hasOlder, loadingOlder, onLoadOlder, firstId]);
  return topSentinel;
}
