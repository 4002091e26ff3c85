## Fehler (AppError); Meldungen zu einzelnen Feldern stehen bei den Feldern
error-unauthenticated = Bitte melden Sie sich an, um fortzufahren.
error-forbidden = Dafür fehlen Ihnen die Berechtigungen.
error-not-found = Diese Seite oder dieser Eintrag existiert nicht.
error-validation = Bitte prüfen Sie die markierten Angaben.
error-invalid-credentials = E-Mail-Adresse oder Passwort ist falsch.
error-email-not-confirmed = Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse über den Link in unserer E-Mail. Wir haben Ihnen den Link eben erneut geschickt.
error-rate-limited = Zu viele Versuche in kurzer Zeit. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.
error-link-invalid = Dieser Link ist ungültig, abgelaufen oder wurde bereits verwendet. Bitte fordern Sie einen neuen an.
error-blocked = Ihr Konto ist gesperrt. Bitte wenden Sie sich an die Verwaltung.
error-two-factor-required = Konten der Verwaltung brauchen die Zwei-Faktor-Anmeldung. Bitte richten Sie sie unter „Mein Konto“ → „Zwei-Faktor-Anmeldung“ ein.
error-internal = Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später noch einmal.
error-unavailable = Der Dienst ist gerade nicht erreichbar (die Datenbank startet neu). Bitte versuchen Sie es in einer Minute noch einmal.
error-request = Die Anfrage konnte nicht verarbeitet werden. Bitte laden Sie die Seite neu und versuchen Sie es erneut.
