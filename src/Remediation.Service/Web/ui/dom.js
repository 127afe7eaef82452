// Every node is built with textContent: ids, messages and reasons come from the network and are never markup.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

export const statusBadge = status => el('span', { class: `badge s-${status}` }, status);

export const nodeLink = id => el('a', { href: `#/nodes/${encodeURIComponent(id)}`, class: 'node-link mono' }, id);

export const incidentLink = id => el('a', { href: `#/incidents/${encodeURIComponent(id)}`, class: 'incident-link mono' }, id);
