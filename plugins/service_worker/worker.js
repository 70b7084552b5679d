/* Minga's service worker: the pages a reader has read or saved, readable with no connection.

   MINGA, above, comes from the build: `version` (a digest of the site), `precache` (files
   fetched on install), `fallbacks` (edition prefix -> its "not on this device" page),
   `pages` and `images` (how many pages read, and images, are kept), `wait` (seconds a page
   may take before the copy on this device is shown).

   Pages: the network first (the copy read or saved when the network is slower than `wait`),
   then the copy read or saved, then the fallback page.
   Images: the copy kept first, then the network. Other files: the precached copy first. */

const STATIC = `minga-static-${MINGA.version}`;
const PAGES = `minga-pages-${MINGA.version}`;
const IMAGES = `minga-images-${MINGA.version}`;
// Not versioned: the pages a reader chose to keep must survive every new version of the
// site (they are taken out only by the reader, on the saved pages' page).
const SAVED = "minga-saved";

const ROOT = new URL("./", self.location).href;
const PRECACHED = new Set(MINGA.precache.map((path) => new URL(path, ROOT).href));
const FALLBACKS = new Set(Object.values(MINGA.fallbacks).map((path) => new URL(path, ROOT).href));

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC);
      // `no-cache`: asked again of the server, so a new version never keeps an old file
      // from the browser's HTTP cache.
      await cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: "no-cache" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const current = [STATIC, PAGES, IMAGES, SAVED];
      for (const name of await caches.keys()) {
        if (name.startsWith("minga-") && !current.includes(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(ROOT)) return;
  if (request.mode === "navigate") event.respondWith(page(event));
  else if (request.destination === "image") event.respondWith(image(event));
  else event.respondWith(file(request));
});

/* A page: from the network, kept among the pages read. When it has not arrived after
   `MINGA.wait` seconds (a hanging 2G link) and this device has a copy, the copy is shown;
   the page keeps arriving and replaces the copy for the next visit. */
async function page(event) {
  const request = event.request;
  let stored = Promise.resolve();
  const network = fetch(request).then((response) => {
    // A redirected response cannot answer a later navigation; precached pages are kept already.
    const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
    if (response.ok && html && !response.redirected && !PRECACHED.has(request.url)) {
      stored = keep(PAGES, request.url, response.clone(), MINGA.pages);
    }
    return response;
  });
  event.waitUntil(network.then(() => stored, () => undefined));
  const copy = copyOf(request);
  const patience = new Promise((resolve) => {
    setTimeout(async () => {
      const found = await copy;
      if (found) resolve(found); // with no copy, the network is all there is: wait for it
    }, MINGA.wait * 1000);
  });
  try {
    return await Promise.race([network, patience]);
  } catch (offline) {
    return (await copy) || unavailable(request.url);
  }
}

async function copyOf(request) {
  for (const name of [PAGES, SAVED, STATIC]) {
    const cache = await caches.open(name);
    const copy = await cache.match(request, { ignoreSearch: true });
    if (copy) return copy;
  }
  return undefined;
}

/* The fallback page of the address's edition, by a redirect: its links are relative, so it
   must be shown at its own address. It offers to try the address again (`from`). */
function unavailable(url) {
  const address = new URL(url);
  address.search = "";
  if (FALLBACKS.has(address.href)) return Response.error(); // not even the fallback is here
  const path = address.href.slice(ROOT.length);
  const prefix = Object.keys(MINGA.fallbacks)
    .filter((each) => path.startsWith(each))
    .sort((a, b) => b.length - a.length)[0];
  const fallback = new URL(MINGA.fallbacks[prefix || ""], ROOT);
  fallback.searchParams.set("from", path);
  return Response.redirect(fallback.href, 302);
}

async function image(event) {
  // The saved pages' images, those of pages read, the precached icon.
  const copy = await caches.match(event.request);
  if (copy) return copy;
  const response = await fetch(event.request);
  if (response.ok) {
    event.waitUntil(keep(IMAGES, event.request.url, response.clone(), MINGA.images));
  }
  return response;
}

async function file(request) {
  const precached = await caches.match(request, { cacheName: STATIC });
  if (precached) return precached;
  try {
    return await fetch(request);
  } catch (offline) {
    // A page saved under an older version may ask for a file with another query string.
    return (await caches.match(request, { ignoreSearch: true })) || Response.error();
  }
}

/* Put `response` in cache `name` and drop the oldest entries beyond `limit`: a cache lists
   its entries in the order they were put in, and putting an address again moves it last. */
async function keep(name, url, response, limit) {
  const cache = await caches.open(name);
  await cache.put(url, response);
  const entries = await cache.keys();
  const beyond = entries.slice(0, Math.max(0, entries.length - limit));
  await Promise.all(beyond.map((entry) => cache.delete(entry)));
}
