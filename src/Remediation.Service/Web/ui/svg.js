// Inline SVG built node by node: labels come from the network (fault kinds, runbook and node names) and go in as
// text nodes, and colours as presentation attributes, which the page's CSP allows where style attributes it does not.

const NS = 'http://www.w3.org/2000/svg';

export function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) node.setAttribute(key, String(value));
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const PALETTE = ['#2f5bd3', '#d48806', '#1f8a4c', '#cf222e', '#8a3ffc', '#0f8b8d', '#c4540c', '#6d5c4d', '#9aa3b2', '#e05d9b'];

// A round step for an axis: 1, 2 or 5 times a power of ten, so ticks read as plain numbers.
export function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map(m => m * power).find(m => m >= value);
}
