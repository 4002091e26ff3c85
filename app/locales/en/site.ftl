## Language switch
language-switch-label = Choose language


## Frame: header, navigation, footer
skip-link = Skip to content
nav-access = Accessibility
nav-easy-language = Easy German (Leichte Sprache)
nav-sign-language = German Sign Language
nav-main = Main navigation
nav-start = Home
nav-proposals = Proposals
nav-petitions = Citizens' petitions
nav-boards = Advisory boards
nav-admin = Administration
nav-staff = Council staff
nav-register = Resident register
nav-reports = Reports
nav-moderation = Moderation
nav-feedback = Feedback
nav-account = Account
nav-logout = Sign out
nav-login = Sign in
nav-sign-up = Sign up
footer-tagline = Dorfplatz – free software for citizen participation in municipalities
footer-legal = Legal
footer-impressum = Legal notice (Impressum)
footer-privacy = Privacy
footer-accessibility = Accessibility
footer-report-barrier = Report a barrier
page-loading = Loading …
page-title = { $title } – Dorfplatz


## Start page
home-title = Home
home-heading = Welcome to Dorfplatz
home-lead = Here the residents of { $municipality } take part in shaping their municipality: submit and discuss proposals, follow the sessions of the development advisory board and support citizens' petitions.
home-signed-in-as = You are signed in as { $name }.
home-to-account = Go to your account
home-create-account = Create an account
home-how = How it works
home-speak-heading = Have your say
home-speak-text = With an account you can submit, support and comment on proposals. An email address and a display name are all you need to sign up.
home-follow-heading = Follow along
home-follow-text = The development advisory board meets in public: agendas, recommendations and minutes are open to everyone.
home-decide-heading = Decide
home-decide-text = Citizens' petitions (Bürgerbegehren) collect signatures under the rules of the state's municipal code – supported online and signed on paper.


## Legal pages, 404
legal-impressum = Legal notice (Impressum)
legal-privacy = Privacy
legal-german-only = This text is binding in German and is therefore shown in German.
not-found-title = Page not found
not-found-text = This address does not exist (any more).
not-found-home = Go to the home page
