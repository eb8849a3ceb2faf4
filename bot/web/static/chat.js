// EIG Bot web chat: sends questions to api/ask, shows answers, buttons and votes.
// No build step, no dependency, no cookie and no storage: the conversation lives in this page.
"use strict";

(function () {
  const conversation = randomId();
  const log = document.getElementById("conversation");
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const status = document.getElementById("status");
  const alertBox = document.getElementById("error");
  let busy = false;

  // -- talking to the API ---------------------------------------------------------------------

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function call(path, body) {
    let response;
    try {
      response = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "omit",
        cache: "no-store",
      });
    } catch (error) {
      throw new Error("Le service ne répond pas\u00a0: vérifiez votre connexion, puis réessayez.");
    }
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (!response.ok) {
      const message = data && data.error ? data.error : "Un problème technique est survenu\u00a0: réessayez dans un instant.";
      throw new Error(message);
    }
    return data;
  }

  async function run(work) {
    if (busy) return null;
    busy = true;
    form.setAttribute("aria-busy", "true");
    status.textContent = "EIG Bot prépare sa réponse…";
    hideError();
    try {
      return await work();
    } catch (error) {
      showError(error.message);
      return null;
    } finally {
      busy = false;
      form.removeAttribute("aria-busy");
      status.textContent = "";
    }
  }

  function showError(message) {
    alertBox.textContent = message;
    alertBox.hidden = false;
  }

  function hideError() {
    alertBox.hidden = true;
    alertBox.textContent = "";
  }

  // -- safe HTML: only the tags the bot writes, links opened in a new window -------------------

  const ALLOWED = new Set(["P", "BR", "UL", "LI", "B", "STRONG", "I", "EM", "A"]);

  function safeFragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html; // inert: nothing in a template runs or loads
    const out = document.createDocumentFragment();
    for (const node of Array.from(template.content.childNodes)) out.append(clean(node));
    return out;
  }

  function clean(node) {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE) return document.createTextNode("");
    if (!ALLOWED.has(node.tagName)) return document.createTextNode(node.textContent);
    const copy = document.createElement(node.tagName.toLowerCase());
    for (const child of Array.from(node.childNodes)) copy.append(clean(child));
    if (node.tagName === "A") {
      const href = node.getAttribute("href") || "";
      if (!/^(https?:|mailto:)/i.test(href)) return document.createTextNode(node.textContent);
      copy.setAttribute("href", href);
      copy.setAttribute("target", "_blank");
      copy.setAttribute("rel", "noopener noreferrer");
      copy.append(hidden(" (nouvelle fenêtre)"));
    }
    return copy;
  }

  function hidden(text) {
    const span = document.createElement("span");
    span.className = "sr-only";
    span.textContent = text;
    return span;
  }

  // -- showing messages -------------------------------------------------------------------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function addUserMessage(text) {
    const message = element("div", "message message--user");
    message.append(hidden("Vous\u00a0: "), element("p", "", text));
    log.append(message);
  }

  function addBotMessage(reply) {
    const message = element("div", "message message--bot");
    message.tabIndex = -1;
    message.append(hidden("EIG Bot\u00a0: "));
    const body = element("div", "message__body");
    body.append(safeFragment(reply.html));
    message.append(body);
    if (reply.suggestions && reply.suggestions.length) {
      message.append(buttonList(reply.suggestions, reply.feedback, "Choix proposés"));
    }
    if (reply.related && reply.related.length) {
      const title = element("p", "message__see-also", "Voir aussi\u00a0:");
      title.id = "voir-" + randomId();
      message.append(title, buttonList(reply.related, null, null, title.id));
    }
    if (reply.entry && reply.feedback) message.append(votes(reply.feedback));
    log.append(message);
    message.scrollIntoView({ block: "nearest" });
    return message;
  }

  function buttonList(buttons, feedback, label, labelledBy) {
    const list = element("ul", "choices");
    if (label) list.setAttribute("aria-label", label);
    if (labelledBy) list.setAttribute("aria-labelledby", labelledBy);
    for (const button of buttons) {
      const item = element("li");
      const node = element("button", "button button--secondary choice", button.label);
      node.type = "button";
      node.addEventListener("click", () => openTarget(button, feedback));
      item.append(node);
      list.append(item);
    }
    return list;
  }

  function votes(feedback) {
    const group = element("div", "votes");
    group.setAttribute("role", "group");
    const question = element("p", "votes__question", "Cette réponse vous a-t-elle été utile\u202f?");
    question.id = "vote-" + randomId();
    group.setAttribute("aria-labelledby", question.id);
    const useful = element("button", "button button--tertiary", "Utile");
    const notUseful = element("button", "button button--tertiary", "Pas utile");
    for (const [node, value] of [[useful, true], [notUseful, false]]) {
      node.type = "button";
      node.addEventListener("click", () => vote(group, feedback, value));
    }
    group.append(question, useful, notUseful);
    return group;
  }

  // -- what the user does -----------------------------------------------------------------------

  async function ask(text) {
    addUserMessage(text);
    const reply = await run(() => call("api/ask", { question: text, conversation }));
    if (reply) addBotMessage(reply);
  }

  async function openTarget(button, feedback) {
    const body = { action: button.action, target: button.target, conversation };
    if (feedback) body.feedback = feedback;
    const reply = await run(() => {
      addUserMessage(button.label);
      return call("api/open", body);
    });
    if (reply) addBotMessage(reply).focus();
  }

  async function vote(group, feedback, useful) {
    const answer = await run(() => call("api/vote", { feedback, useful }));
    if (!answer) return;
    const thanks = element("p", "votes__thanks", answer.message);
    thanks.tabIndex = -1;
    group.replaceChildren(thanks);
    thanks.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      showError("Écrivez votre question avant de l'envoyer.");
      input.focus();
      return;
    }
    if (busy) return;
    input.value = "";
    ask(text);
    input.focus();
  });

  const welcome = document.getElementById("welcome");
  addBotMessage(JSON.parse(welcome.textContent));
})();
