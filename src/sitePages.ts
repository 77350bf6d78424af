/**
 * The pages the Teams manifest links to (website, privacy, terms). Short and true to what the bot does;
 * an organisation that deploys it can replace them with its own.
 */
const page = (title: string, paragraphs: readonly string[]) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Maturity Pulse</title>` +
  `<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}</style></head>` +
  `<body><h1>${title}</h1>${paragraphs.map((text) => `<p>${text}</p>`).join('')}<p><a href="/">Maturity Pulse</a> · <a href="/privacy">Privacy</a> · <a href="/terms">Terms of use</a></p></body></html>`;

export const SITE_PAGES: Readonly<Record<string, string>> = {
  '/': page('Maturity Pulse', [
    "A Microsoft Teams app that runs the Microsoft Power Platform maturity models (adoption, automation, support) as a conversation, posts the team's level and next steps back to the channel, and runs a monthly maturity pulse for the Center of Excellence.",
    'Install it in Teams from your organisation\'s app catalogue. The dashboard tab is at <a href="/tab/index.html">/tab/index.html</a>.',
  ]),
  '/privacy': page('Privacy', [
    'For each answer the bot stores your Microsoft Entra object id, your tenant id, the team (channel or chat) you answered in, the model, the month, the level you chose and when. Earlier answers are kept as history so that trends can be drawn.',
    "Team results never show one person's answers: they appear only once a minimum number of people have answered. Your own answers are shown only to you.",
    'Type <strong>forget me</strong> to the bot in a personal chat to delete what it keeps about you: every answer you have given (in every team, model and month), its record of your chat, and your id on targets and pulses you set up. It asks you to confirm first.',
    'The data is kept in the Azure Storage account of the organisation that runs the bot, and is only posted to the Teams conversations where the app is installed.',
  ]),
  '/terms': page('Terms of use', [
    "Maturity Pulse is run by your organisation. Its results are a self-assessment based on Microsoft's published maturity models and guidance; they are not an audit and carry no warranty.",
    'Questions about how your organisation uses it go to your Center of Excellence.',
  ]),
};
