//! The second factor's pages: the code step of the login (`/login/code`) and the
//! enrolment page (`/account/two-factor`). Both work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Redirect};
use leptos_router::hooks::use_query_map;

use super::action_error;
use crate::LayoutResource;
use crate::accounts::api::{
    DisableTwoFactor, EnableTwoFactor, LoginCode, RenewRecoveryCodes, two_factor,
};
use crate::accounts::two_factor::{CODE_DIGITS, TwoFactorView, group_secret};
use crate::components::{ErrorSummary, Field, Notice, Submit};

/// The second login step: the code from the app, or a recovery code.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let action = ServerAction::<LoginCode>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next");
    view! {
        <Title text="Code eingeben – Dorfplatz" />
        <div class="wrap narrow">
            <h1>"Anmelden: zweiter Schritt"</h1>
            <Notice />
            <p>"Ihr Passwort stimmt. Bitte geben Sie jetzt den Code ein, den Ihre Authenticator-App für Dorfplatz anzeigt."</p>
            <ErrorSummary error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <Field name="code" label="Code aus der App" autocomplete="one-time-code" inputmode="numeric" required=true
                    hint=format!("{CODE_DIGITS} Ziffern. Ohne Telefon: einer Ihrer Wiederherstellungscodes (zum Beispiel abcde-fghjk).")
                    maxlength=20 error />
                {move || next().map(|n| view! { <input type="hidden" name="next" value=n /> })}
                <Submit label="Anmelden" pending=action.pending() />
            </ActionForm>
            <p>"Nach fünf falschen Codes oder zehn Minuten beginnt die Anmeldung von vorn. "
                <A href="/login">"Zurück zur Anmeldung"</A></p>
            <p>"Telefon und Wiederherstellungscodes verloren? Die Administration Ihrer Gemeinde kann die Zwei-Faktor-Anmeldung zurücksetzen."</p>
        </div>
    }
}

/// Enrolment, recovery codes, and switching the second factor off.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let layout = expect_context::<LayoutResource>();
    let enable = ServerAction::<EnableTwoFactor>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let status = Resource::new(
        move || (enable.version().get(), renew.version().get()),
        |_| two_factor(),
    );
    view! {
        <Title text="Zwei-Faktor-Anmeldung – Dorfplatz" />
        <div class="wrap narrow">
            <h1>"Zwei-Faktor-Anmeldung"</h1>
            <Notice />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    if layout.await.ok().and_then(|l| l.me).is_none() {
                        return view! { <Redirect path="/login?notice=login_required&next=/account/two-factor" /> }.into_any();
                    }
                    match status.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(view) if view.enabled => view! { <Enabled view renew disable /> }.into_any(),
                        Ok(view) => view! { <Enrol view enable /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Enrol(view: TwoFactorView, enable: ServerAction<EnableTwoFactor>) -> impl IntoView {
    let error = action_error(enable);
    let Some(setup) = view.setup else {
        return ().into_any();
    };
    let grouped = group_secret(&setup.secret);
    view! {
        {view.required.then(|| view! {
            <p class="callout">"Ihr Konto gehört zur Verwaltung: Es braucht die Zwei-Faktor-Anmeldung, bevor Sie weiterarbeiten können."</p>
        })}
        <p>"Mit der Zwei-Faktor-Anmeldung braucht eine Anmeldung außer Ihrem Passwort einen Code, den eine App auf Ihrem Telefon alle 30 Sekunden neu erzeugt (zum Beispiel FreeOTP, Aegis, Google oder Microsoft Authenticator, oder Ihr Passwort-Manager)."</p>
        <ol class="steps">
            <li>
                <h2 id="h-scan">"1. Schlüssel in die App übernehmen"</h2>
                <p>"Scannen Sie den QR-Code mit der App, oder geben Sie den Schlüssel von Hand ein."</p>
                <figure class="qr-code">
                    <div role="img" aria-label="QR-Code mit dem Schlüssel für Ihre Authenticator-App" inner_html=setup.qr_svg></div>
                </figure>
                <dl class="facts">
                    <dt>"Schlüssel zum Abtippen"</dt>
                    <dd><code id="totp-secret" data-secret=setup.secret.clone()>{grouped}</code></dd>
                    <dt>"Art"</dt>
                    <dd>"zeitbasiert (TOTP), 6 Ziffern, alle 30 Sekunden"</dd>
                </dl>
                <label for="totp-uri">"Link für Passwort-Manager (otpauth)"</label>
                <input id="totp-uri" type="text" readonly=true value=setup.uri class="wide" />
            </li>
            <li>
                <h2 id="h-confirm">"2. Mit einem Code bestätigen"</h2>
                <ErrorSummary form="enrol" error />
                <ActionForm action=enable attr:class="form" attr:novalidate=true>
                    <Field name="code" label="Code aus der App" form="enrol" autocomplete="one-time-code" inputmode="numeric" required=true
                        hint="Die 6 Ziffern, die die App jetzt anzeigt." maxlength=20 error />
                    <Submit label="Zwei-Faktor-Anmeldung einschalten" pending=enable.pending() />
                </ActionForm>
            </li>
        </ol>
    }
    .into_any()
}

#[component]
fn Enabled(
    view: TwoFactorView,
    renew: ServerAction<RenewRecoveryCodes>,
    disable: ServerAction<DisableTwoFactor>,
) -> impl IntoView {
    let renew_error = action_error(renew);
    let disable_error = action_error(disable);
    let since = view
        .enabled_at
        .map(crate::time::german_datetime_text)
        .unwrap_or_default();
    view! {
        <p>{format!("Die Zwei-Faktor-Anmeldung ist seit {since} eingeschaltet.")}</p>
        <section aria-labelledby="h-recovery" id="recovery-codes">
            <h2 id="h-recovery">"Wiederherstellungscodes"</h2>
            {if view.fresh_recovery_codes.is_empty() {
                view! {
                    <p>{format!("Sie haben noch {} unbenutzte Wiederherstellungscodes.", view.recovery_codes_left)}</p>
                }.into_any()
            } else {
                view! {
                    <p class="callout">"Bewahren Sie diese Codes jetzt auf (ausdrucken oder im Passwort-Manager speichern). Jeder Code ersetzt einmal den Code aus der App, wenn Sie Ihr Telefon nicht zur Hand haben. Sie werden nur diese eine Viertelstunde lang angezeigt."</p>
                    <ul class="recovery-codes" aria-label="Ihre Wiederherstellungscodes">
                        {view.fresh_recovery_codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ErrorSummary form="renew" error=renew_error />
            <ActionForm action=renew attr:class="form" attr:novalidate=true>
                <Field name="current_password" label="Ihr Passwort" kind="password" autocomplete="current-password" required=true form="renew" error=renew_error />
                <Submit label="Neue Wiederherstellungscodes erzeugen" class="button button-secondary" pending=renew.pending() />
            </ActionForm>
        </section>
        <section aria-labelledby="h-off">
            <h2 id="h-off">"Ausschalten"</h2>
            {if view.required {
                view! { <p>"Konten der Verwaltung müssen die Zwei-Faktor-Anmeldung behalten. Bei einem neuen Telefon hilft die Administration (Zurücksetzen), danach richten Sie sie neu ein."</p> }.into_any()
            } else {
                view! {
                    <ErrorSummary form="off" error=disable_error />
                    <ActionForm action=disable attr:class="form" attr:novalidate=true>
                        <Field name="current_password" label="Ihr Passwort" kind="password" autocomplete="current-password" required=true form="off" error=disable_error />
                        <Submit label="Zwei-Faktor-Anmeldung ausschalten" class="button button-danger" pending=disable.pending() />
                    </ActionForm>
                }.into_any()
            }}
        </section>
        <p><A href="/account">"Zurück zu Ihrem Konto"</A></p>
    }
}
