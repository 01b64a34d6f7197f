// How statuses, stages, sizes and times read on the page. A status is always a word and a shape, never colour alone.

export const STATUSES = {
  queued: { icon: '○', label: 'Queued' },
  running: { icon: '◐', label: 'Running' },
  completed: { icon: '✔', label: 'Completed' },
  failed: { icon: '✖', label: 'Failed' },
  canceled: { icon: '⊘', label: 'Canceled' },
  pending: { icon: '·', label: 'Not started' },
};

export const STAGES = [
  'preprocessing', 'feature_extraction', 'feature_matching', 'sparse_reconstruction',
  'dense_reconstruction', 'meshing', 'texturing',
];

export function isFinished(status) {
  return status === 'completed' || status === 'failed' || status === 'canceled';
}

/** A status badge: <span class="status status-completed"><span aria-hidden>✔</span> Completed</span>. */
export function statusBadge(status) {
  const known = STATUSES[status] || { icon: '?', label: status || 'Unknown' };
  const badge = el('span', { class: `status status-${status}` });
  badge.append(el('span', { class: 'status-icon', 'aria-hidden': 'true' }, known.icon), ` ${known.label}`);
  return badge;
}

export function stageLabel(name) {
  if (!name) return '';
  const text = name.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function figureLabel(key) {
  return stageLabel(key).replace(/\bpx\b/, '(px)');
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return i === 0 ? `${v} bytes` : `${v.toFixed(1)} ${units[i]}`;
}

export function number(n) {
  if (typeof n !== 'number') return String(n ?? '');
  return Number.isInteger(n) ? n.toLocaleString('en') : n.toLocaleString('en', { maximumFractionDigits: 3 });
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** A small element builder: el('a', {href: '#'}, 'text', child). Text is always set as text, never as HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** Says something to screen readers through the page's polite live region. */
export function announce(text) {
  const announcer = document.getElementById('announcer');
  announcer.textContent = '';
  // a fresh text node after a tick, so the same message twice is announced twice
  setTimeout(() => { announcer.textContent = text; }, 50);
}
