// The languages of the pages, and the one place they are registered. Each language is one file
// beside this one, named by its code (`pl.js`), holding every text of every page; this module
// loads them all before any page starts. Adding a language: its file (a copy of en.js,
// translated) and its code in `LANGUAGES` below (docs/languages.md, "Adding a language").

/**
 * The codes of the languages that have texts, in the order pages offer them. The first is the
 * default: a page shows it until the office's languages are known, and any text missing in
 * another language is taken from it.
 */
export const LANGUAGES = ["pl", "en"];

/** Every language's texts by its code: `TEXTS.pl.kiosk.title` is the kiosk's title in Polish. */
export const TEXTS = Object.fromEntries(
  await Promise.all(LANGUAGES.map(async (code) => [code, (await import(`./${code}.js`)).default])),
);
