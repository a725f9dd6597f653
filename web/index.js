// The index page: what each page is for and how to set the devices up, in the office's
// languages (Polish and English), with the office's name.
import { api } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { I18n } from "/common/i18n.js";

const LANGUAGE_KEY = "numerek.index.language";

// A text between backticks is code (a command, a role, a file): it is shown as <code>.
const dictionary = {
  pl: {
    title: "numerek — system kolejkowy",
    tagline: "System kolejkowy biura obsługi klienta",
    switchTo: "English",
    pages: "Strony",
    kiosk: "Biletomat",
    kioskText: "Ekran dotykowy przy wejściu: wybór sprawy i wydruk numerka. Wymaga tokenu roli `kiosk`.",
    display: "Ekran w poczekalni",
    displayText: "Wywołane numery z dźwiękiem i komunikatem głosowym. Bez tokenu.",
    counter: "Stanowisko",
    counterText: "Wywoływanie numerów przez urzędnika. Wymaga tokenu roli `clerk`.",
    reports: "Raporty",
    reportsText: "Czasy oczekiwania i obsługi. Wymaga tokenu roli `manager`.",
    setup: "Jak przygotować urządzenia",
    setupServer:
      "Uruchom serwer w sieci urzędu: `numerek serve --config urzad.toml --listen 0.0.0.0:8080`. Przy pierwszym uruchomieniu wypisuje tokeny i gotowe linki.",
    setupKiosk:
      "Biletomat: Chromium w trybie kiosku z cichym drukowaniem, `chromium --kiosk --kiosk-printing http://SERWER:8080/kiosk/#token=…`.",
    setupDisplay:
      "Ekran w poczekalni: `chromium --kiosk --autoplay-policy=no-user-gesture-required http://SERWER:8080/display/` (flaga pozwala odtwarzać dźwięk bez kliknięcia).",
    setupCounter: "Stanowiska: link `http://SERWER:8080/counter/#token=…&counter=3` w zwykłej przeglądarce.",
    setupPhone: "Telefon: kod QR na numerku otwiera stronę numerka na żywo.",
    details: "Szczegóły: `docs/devices.md` w repozytorium.",
    api: "Dla integratorów",
    apiOffice: "urząd, sprawy i stanowiska",
    apiStatus: "stan kolejki na żywo",
    apiOpenData: "kolejki jako otwarte dane, w formacie API miasta stołecznego Warszawy",
  },
  en: {
    title: "numerek — queue system",
    tagline: "The queue system of a customer service office",
    switchTo: "Polski",
    pages: "Pages",
    kiosk: "Kiosk",
    kioskText: "The touch screen at the entrance: choose a matter, print a ticket. Needs a token of the `kiosk` role.",
    display: "Lobby display",
    displayText: "The called numbers, with a chime and a spoken announcement. No token needed.",
    counter: "Counter terminal",
    counterText: "A clerk calls the numbers. Needs a token of the `clerk` role.",
    reports: "Reports",
    reportsText: "Waiting and service times. Needs a token of the `manager` role.",
    setup: "Setting up the devices",
    setupServer:
      "Start the server on the office's network: `numerek serve --config office.toml --listen 0.0.0.0:8080`. Its first start prints the tokens and ready-made links.",
    setupKiosk:
      "Kiosk: Chromium in kiosk mode with silent printing, `chromium --kiosk --kiosk-printing http://SERVER:8080/kiosk/#token=…`.",
    setupDisplay:
      "Lobby display: `chromium --kiosk --autoplay-policy=no-user-gesture-required http://SERVER:8080/display/` (the flag lets it play sound without a click).",
    setupCounter: "Counters: the link `http://SERVER:8080/counter/#token=…&counter=3` in an ordinary browser.",
    setupPhone: "Phones: the QR code on the ticket opens the ticket's live page.",
    details: "Details: `docs/devices.md` in the repository.",
    api: "For integrators",
    apiOffice: "the office, its matters and counters",
    apiStatus: "the live state of the queues",
    apiOpenData: "the queues as open data, in the format of the City of Warsaw's API",
  },
};

const i18n = new I18n(dictionary, ["pl", "en"]);
const $ = (id) => document.getElementById(id);
let officeName = null;

/** Fills `element` with `text`, its parts between backticks as <code> (built as nodes, never as
 * markup). */
function fillRich(element, text) {
  const parts = text.split("`");
  element.replaceChildren(
    ...parts.map((part, index) => {
      if (index % 2 === 0) return document.createTextNode(part);
      const code = document.createElement("code");
      code.textContent = part;
      return code;
    }),
  );
}

function render() {
  for (const element of document.querySelectorAll("[data-i18n-rich]")) {
    fillRich(element, i18n.t(element.dataset.i18nRich));
  }
  // The office's name, once known, in place of the tagline.
  if (officeName) $("office-name").textContent = officeName;
  document.title = officeName ? `numerek — ${officeName}` : i18n.t("title");
  const button = $("language-switch");
  button.textContent = i18n.t("switchTo");
  button.lang = i18n.next();
  button.hidden = i18n.languages.length < 2;
}

i18n.onChange(render);
$("language-switch").addEventListener("click", () => i18n.choose(i18n.next()));
i18n.remember(LANGUAGE_KEY);
try {
  const office = await api("/office");
  officeName = office.office.name;
  const languages = (office.office.languages || []).filter((l) => dictionary[l]);
  if (languages.length) i18n.languages = languages;
  markDemo(office);
} catch {
  // The page is useful without the office's name and languages.
}
if (!i18n.languages.includes(i18n.language)) i18n.language = i18n.languages[0];
i18n.set(i18n.language);
