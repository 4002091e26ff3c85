## Sprachwahl
language-switch-label = Sprache wählen


## Rahmen: Kopf, Navigation, Fuß
skip-link = Zum Inhalt springen
nav-access = Zugänglichkeit
nav-easy-language = Leichte Sprache
nav-sign-language = Gebärdensprache
nav-main = Hauptnavigation
nav-start = Start
nav-proposals = Vorschläge
nav-petitions = Bürgerbegehren
nav-boards = Beiräte
nav-admin = Administration
nav-staff = Verwaltung
nav-register = Melderegister
nav-reports = Berichte
nav-moderation = Moderation
nav-feedback = Rückmeldungen
nav-account = Konto
nav-logout = Abmelden
nav-login = Anmelden
nav-sign-up = Registrieren
footer-tagline = Dorfplatz – freie Software für Bürgerbeteiligung in Gemeinden
footer-legal = Rechtliches
footer-impressum = Impressum
footer-privacy = Datenschutz
footer-accessibility = Barrierefreiheit
footer-report-barrier = Barriere melden
page-loading = Lädt …
page-title = { $title } – Dorfplatz


## Startseite
home-title = Start
home-heading = Willkommen auf dem Dorfplatz
home-lead = Hier beteiligen sich die Bürgerinnen und Bürger der { $municipality } an der Entwicklung ihrer Gemeinde: Vorschläge einbringen und diskutieren, die Sitzungen des Entwicklungsbeirats verfolgen und Bürgerbegehren unterstützen.
home-signed-in-as = Sie sind angemeldet als { $name }.
home-to-account = Zu Ihrem Konto
home-create-account = Konto anlegen
home-how = So funktioniert es
home-speak-heading = Mitreden
home-speak-text = Mit einem Konto können Sie Vorschläge einreichen, unterstützen und kommentieren. Zur Anmeldung genügen eine E-Mail-Adresse und ein Anzeigename.
home-follow-heading = Nachvollziehen
home-follow-text = Der Entwicklungsbeirat berät öffentlich: Tagesordnungen, Empfehlungen und Protokolle stehen allen offen.
home-decide-heading = Entscheiden
home-decide-text = Bürgerbegehren sammeln Unterschriften nach den Regeln der Gemeindeordnung – online unterstützt und auf Papier unterschrieben.


## Rechtliche Seiten, 404
legal-impressum = Impressum
legal-privacy = Datenschutz
legal-german-only = Dieser Text gilt in deutscher Sprache.
not-found-title = Seite nicht gefunden
not-found-text = Diese Adresse gibt es nicht (mehr).
not-found-home = Zur Startseite
