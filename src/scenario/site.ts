// Where the playground is published: the one place the project declares its site, like
// package.json's "homepage". `splitbrain url` puts it in front of `#s=<payload>` (--base and
// the SPLITBRAIN_BASE environment variable override it).
//
// Empty means no site is declared: the link is the relative `#s=<payload>`, which a learner
// pastes after the address of any copy of the playground (a `npm run dev` server, a build in
// `dist/` on any static host), and which `splitbrain run` and `splitbrain decode` read as is.
// To declare one, set the address of the built site's index, ending in "/", e.g.
// "https://example.org/splitbrain/".
export const SITE_BASE: string = "";
