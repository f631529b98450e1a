/** One HTTP request; the answer with its raw text and, when the text is JSON, the parsed body (else `fallback`). */
export async function fetchJson(url: string, init: RequestInit, fallback: 'text' | 'undefined' = 'undefined') {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = fallback === 'text' ? text : undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}
