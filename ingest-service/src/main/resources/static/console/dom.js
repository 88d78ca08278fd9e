// Building the page from data without innerHTML: every value from the API becomes a text node, never markup.

/** h('a', {href: '#/x'}, 'text', child, ...) -> an element; attributes starting with "on" become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what `element` shows. */
export function show(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

export function statusBadge(status) {
  return h('span', {class: `status status-${status}`, 'data-status': status}, status ?? '—');
}

/** A table with a header row and one row per item; `columns` are [title, item -> cell]. */
export function table(caption, columns, items, empty = 'Nothing yet.') {
  if (!items.length) return h('p', {class: 'muted'}, empty);
  return h('table', {},
    h('caption', {class: 'muted'}, caption),
    h('thead', {}, h('tr', {}, columns.map(([title]) => h('th', {scope: 'col'}, title)))),
    h('tbody', {}, items.map(item => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(item)))))));
}

/** A definition list of [term, value] pairs, skipping empty values. */
export function fields(pairs) {
  return h('dl', {class: 'fields'}, pairs.filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

export function code(text) {
  return h('code', {}, text ?? '—');
}

export function time(instant) {
  return instant ? h('time', {datetime: instant}, new Date(instant).toLocaleString()) : '—';
}
