/* Minga: reading with no connection, where the browser can (see plugins/service_worker).

   Registers the service worker (sw.js, at the site's root), shows a text's "save for
   offline" button, lists the saved and recently read pages on the saved pages' page, and
   offers to try a page again on the fallback page. Every word shown comes from the page, in
   its language. Without this script (no JavaScript, an old browser, a copy opened from
   disk) the site works the same: the button stays hidden. */
(() => {
  "use strict";
  const script = document.currentScript;
  const web = location.protocol === "https:" || location.protocol === "http:";
  if (!script || !web || !("serviceWorker" in navigator) || !("caches" in window)) return;

  const ROOT = new URL("../../", script.src).href; // this file is theme/js/offline.js
  const SAVED = "minga-saved"; // the worker's cache of the pages a reader saved

  window.addEventListener("load", () => {
    navigator.serviceWorker.register(`${ROOT}sw.js`).catch(() => {}); // then: as before
  });

  const here = () => location.href.split("#")[0];

  /* The page's images as the browser chose them (one of a srcset); for an image not loaded
     yet (a lazy one further down), every file the browser may choose for it. */
  const candidates = (srcset) =>
    srcset.split(",").map((each) => each.trim().split(/\s+/)[0]).filter(Boolean);
  const imagesShown = () => {
    const found = [...document.images].flatMap((img) => {
      if (img.currentSrc) return [img.currentSrc];
      const sources = img.closest("picture") ? [...img.parentNode.querySelectorAll("source")] : [];
      return [img.src, ...[img, ...sources].flatMap((each) => candidates(each.srcset))];
    });
    const urls = found.map((address) => new URL(address, location.href).href);
    return [...new Set(urls)].filter((url) => url.startsWith(ROOT));
  };

  /* A saved page is kept with the list of its images, to take them out with it. */
  const imagesOf = (response) =>
    ((response && response.headers.get("X-Minga-Images")) || "").split(" ").filter(Boolean);

  async function save(url, images) {
    const cache = await caches.open(SAVED);
    const page = await fetch(url); // the network, or the worker's copy of the page read
    if (!page.ok) throw new Error(`${url}: ${page.status}`);
    for (const image of images) {
      const response = await fetch(image);
      if (response.ok) await cache.put(image, response);
    }
    const headers = new Headers(page.headers);
    headers.set("X-Minga-Images", images.join(" "));
    headers.set("X-Minga-Saved", new Date().toISOString());
    await cache.put(url, new Response(await page.blob(), { status: page.status, headers }));
  }

  async function remove(url) {
    const cache = await caches.open(SAVED);
    const images = imagesOf(await cache.match(url));
    await cache.delete(url);
    const kept = new Set(); // images another saved page still shows
    for (const entry of await cache.keys()) {
      for (const image of imagesOf(await cache.match(entry))) kept.add(image);
    }
    await Promise.all(images.filter((i) => !kept.has(i)).map((i) => cache.delete(i)));
  }

  /* The "save for offline" button of a text: hidden in the HTML, shown here. */
  async function saveButton(button) {
    const text = button.dataset;
    const status = document.createElement("span");
    status.setAttribute("role", "status");
    const link = document.createElement("a");
    link.href = text.savedUrl;
    link.textContent = text.savedList;
    button.after(" ", status, " ", link);
    const show = (saved) => {
      button.textContent = saved ? text.remove : text.save;
      button.classList.toggle("saved", saved);
      status.textContent = saved ? text.saved : "";
    };
    const cache = await caches.open(SAVED);
    show(Boolean(await cache.match(here())));
    button.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        if (await cache.match(here())) await remove(here());
        else await save(here(), imagesShown());
        show(Boolean(await cache.match(here())));
      } catch (error) {
        status.textContent = text.failed;
      }
      button.disabled = false;
    });
  }

  /* A page's heading (else its title), read from its HTML as the cache keeps it. */
  async function titleOf(response, url) {
    const html = await response.text();
    const found =
      /<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(html) || /<title>([\s\S]*?)<\/title>/i.exec(html);
    if (!found) return url;
    const parsed = new DOMParser().parseFromString(found[1], "text/html");
    return parsed.body.textContent.trim() || url;
  }

  async function fill(list, cache, entries, removable) {
    list.textContent = "";
    for (const entry of entries) {
      const response = await cache.match(entry);
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = entry.url;
      link.textContent = await titleOf(response, entry.url);
      item.append(link);
      if (removable) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = list.dataset.remove;
        button.addEventListener("click", async () => {
          await remove(entry.url);
          item.remove();
          if (!list.children.length) list.append(empty(list));
        });
        item.append(" ", button);
      }
      list.append(item);
    }
    if (!entries.length) list.append(empty(list));
  }

  function empty(list) {
    const item = document.createElement("li");
    item.className = "empty";
    item.textContent = list.dataset.empty;
    return item;
  }

  /* The saved pages' page: the pages saved, then those read lately, newest first. */
  async function savedPages(saved, read) {
    const mine = await caches.open(SAVED);
    const entries = []; // the pages, not their images
    for (const entry of await mine.keys()) {
      if ((await mine.match(entry)).headers.has("X-Minga-Saved")) entries.push(entry);
    }
    await fill(saved, mine, entries.reverse(), true);
    const names = (await caches.keys()).filter((name) => name.startsWith("minga-pages-"));
    const recent = names.length ? await caches.open(names[names.length - 1]) : null;
    await fill(read, recent, recent ? (await recent.keys()).reverse() : [], false);
    document.querySelector(".needs-script").hidden = true;
    saved.closest(".offline-lists").hidden = false;
  }

  /* The fallback page: a link to try the page asked for again, once back online. */
  function retry(link) {
    const from = new URLSearchParams(location.search).get("from");
    if (!from) return;
    const target = new URL(from, ROOT);
    if (!target.href.startsWith(ROOT)) return; // only a page of this site
    link.href = target.href;
    link.parentElement.hidden = false;
  }

  const button = document.querySelector("button.save-offline");
  if (button) saveButton(button).catch(() => {});
  const saved = document.getElementById("saved-pages");
  const read = document.getElementById("read-pages");
  if (saved && read) savedPages(saved, read).catch(() => {});
  const again = document.querySelector("a.try-again");
  if (again) retry(again);
})();
