"""Text typed into a retrospective field survives a reload before the field is left.

``st.text_area`` and ``st.text_input`` report their value to the server only when the field is
left (or on Ctrl+Enter / Enter), so the database draft (:mod:`crm_dash.ui.retro_editor`) misses
what is typed and not yet left. A small script in the page keeps it in the browser's
``localStorage`` on every keystroke, under one key per user, retrospective and field
(``crm-dash-draft:<user>:<retro>:<widget key>``), together with the value the field held when
typing began. On the next load it puts the text back into the field and commits it (the same
events as leaving the field), so it becomes the user's database draft as usual.

The browser copy never outlives its use: it is removed when the field is left (the server then
has the value), when the retrospective is saved or its draft discarded, when another user opens
a retrospective in the same browser, and on the login form (after a logout). A copy whose
starting value no longer matches the field (someone saved another text meanwhile) is dropped,
never laid over the newer text.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from crm_dash.ui.streamlit_language import MARKER

PREFIX = "crm-dash-draft:"
_CLEAR_FLAG = "retro_{}_clear_typed"

_SCRIPT = """
(() => {
  const cfg = %s;
  const store = window.localStorage;
  const userPrefix = cfg.prefix + encodeURIComponent(cfg.user || "") + ":";
  const retroPrefix = userPrefix + cfg.retro + ":";
  const drop = (test) => {
    for (let i = store.length - 1; i >= 0; i--) {
      const k = store.key(i);
      if (k && test(k)) store.removeItem(k);
    }
  };
  // Another user's copies never stay in this browser; after a save or discard neither do ours.
  drop((k) => k.startsWith(cfg.prefix) && (!cfg.user || !k.startsWith(userPrefix)));
  if (cfg.clear) drop((k) => k.startsWith(retroPrefix));
  if (!cfg.user) return;
  window.__crmDashTyped = {retroPrefix: retroPrefix, fields: cfg.fields};
  const fieldOf = (el) => {
    const now = window.__crmDashTyped;
    const box = el && el.closest ? el.closest("[class*='st-key-retro_']") : null;
    if (!now || !box) return null;
    for (const c of box.classList) if (c in now.fields) return now.retroPrefix + now.fields[c];
    return null;
  };
  if (!window.__crmDashTypedListening) {
    window.__crmDashTypedListening = true;
    document.addEventListener("focusin", (e) => {
      if (fieldOf(e.target)) e.target.dataset.crmDashBase = e.target.value;
    }, true);
    document.addEventListener("input", (e) => {
      const key = fieldOf(e.target);
      if (!key || e.target.dataset.crmDashRestoring) return;
      store.setItem(key, JSON.stringify({base: e.target.dataset.crmDashBase ?? "",
                                         text: e.target.value}));
    }, true);
    document.addEventListener("focusout", (e) => {
      const key = fieldOf(e.target);  // left: Streamlit sends the value, the server drafts it
      if (key) store.removeItem(key);
    }, true);
  }
  const restore = (tries) => {
    let waiting = false;
    for (const [cls, field] of Object.entries(cfg.fields)) {
      const key = retroPrefix + field;
      const raw = store.getItem(key);
      if (!raw) continue;
      const el = document.querySelector("." + cls + " textarea, ." + cls + " input");
      if (!el) { waiting = true; continue; }
      let kept = null;
      try { kept = JSON.parse(raw); } catch (err) { kept = null; }
      if (!kept || kept.text === el.value || kept.base !== el.value) {
        store.removeItem(key);  // the server has it, or someone saved another text meanwhile
        continue;
      }
      const proto = el.tagName === "TEXTAREA" ? HTMLTextAreaElement : HTMLInputElement;
      Object.getOwnPropertyDescriptor(proto.prototype, "value").set.call(el, kept.text);
      el.dataset.crmDashRestoring = "1";
      el.dispatchEvent(new Event("input", {bubbles: true}));
      delete el.dataset.crmDashRestoring;
      el.dispatchEvent(new FocusEvent("focusout", {bubbles: true}));  // commit, as leaving does
      el.dispatchEvent(new FocusEvent("blur"));
    }
    if (waiting && tries > 0) setTimeout(() => restore(tries - 1), 250);
  };
  restore(40);
})();
"""


def css_key(key: str) -> str:
    """The class Streamlit gives a widget's element for ``key`` (``st-key-…``)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def clear_after_rerun(retro_id: int) -> None:
    """The browser copies of ``retro_id`` go on the next run (after a save or a discard)."""
    st.session_state[_CLEAR_FLAG.format(retro_id)] = True


def keep_typed_text(retro_id: int, username: str, widget_keys: list[str]) -> None:
    """The script that keeps what is typed into the fields ``widget_keys`` in the browser."""
    config = {"prefix": PREFIX, "user": username, "retro": retro_id,
              "clear": bool(st.session_state.pop(_CLEAR_FLAG.format(retro_id), False)),
              "fields": {css_key(k): k for k in widget_keys}}
    _script(config)


def forget_typed_text() -> None:
    """Remove every browser copy (the login form: nobody is logged in in this browser)."""
    _script({"prefix": PREFIX, "user": None, "retro": 0, "clear": True, "fields": {}})


def _script(config: dict[str, object]) -> None:
    # the config is JSON inside a script: "</" must not end the script element
    body = json.dumps(config).replace("</", "<\\/")
    st.html(f'<span class="{MARKER}"></span><script>{_SCRIPT % body}</script>',
            unsafe_allow_javascript=True)
