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
use crate::i18n::{t, t_args};

/// The second login step: the code from the app, or a recovery code.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let action = ServerAction::<LoginCode>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next");
    view! {
        <Title text=t_args("page-title", &[("title", &t("account-code-title"))]) />
        <div class="wrap narrow">
            <h1>{t("account-code-heading")}</h1>
            <Notice />
            <p>{t("account-code-lead")}</p>
            <ErrorSummary error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <Field name="code" label=t("account-code-label") autocomplete="one-time-code" inputmode="numeric" required=true
                    hint=t_args("account-code-hint", &[("digits", &CODE_DIGITS.to_string())])
                    maxlength=20 error />
                {move || next().map(|n| view! { <input type="hidden" name="next" value=n /> })}
                <Submit label=t("account-login") pending=action.pending() />
            </ActionForm>
            <p>{t("account-code-restart")}" "
                <A href="/login">{t("account-back-to-login")}</A></p>
            <p>{t("account-code-lost")}</p>
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
        <Title text=t_args("page-title", &[("title", &t("account-two-factor"))]) />
        <div class="wrap narrow">
            <h1>{t("account-two-factor")}</h1>
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
            <p class="callout">{t("account-2fa-required-callout")}</p>
        })}
        <p>{t("account-2fa-intro")}</p>
        <ol class="steps">
            <li>
                <h2 id="h-scan">{t("account-2fa-step-scan")}</h2>
                <p>{t("account-2fa-scan-lead")}</p>
                <figure class="qr-code">
                    <div role="img" aria-label=t("account-2fa-qr-label") inner_html=setup.qr_svg></div>
                </figure>
                <dl class="facts">
                    <dt>{t("account-2fa-secret")}</dt>
                    <dd><code id="totp-secret" data-secret=setup.secret.clone()>{grouped}</code></dd>
                    <dt>{t("account-2fa-kind")}</dt>
                    <dd>{t("account-2fa-kind-value")}</dd>
                </dl>
                <label for="totp-uri">{t("account-2fa-uri")}</label>
                <input id="totp-uri" type="text" readonly=true value=setup.uri class="wide" />
            </li>
            <li>
                <h2 id="h-confirm">{t("account-2fa-step-confirm")}</h2>
                <ErrorSummary form="enrol" error />
                <ActionForm action=enable attr:class="form" attr:novalidate=true>
                    <Field name="code" label=t("account-code-label") form="enrol" autocomplete="one-time-code" inputmode="numeric" required=true
                        hint=t("account-2fa-code-hint") maxlength=20 error />
                    <Submit label=t("account-2fa-enable") pending=enable.pending() />
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
        <p>{t_args("account-2fa-enabled-since", &[("since", &since)])}</p>
        <section aria-labelledby="h-recovery" id="recovery-codes">
            <h2 id="h-recovery">{t("account-2fa-recovery")}</h2>
            {if view.fresh_recovery_codes.is_empty() {
                view! {
                    <p>{t_args(if view.recovery_codes_left == 1 { "account-2fa-recovery-left-one" } else { "account-2fa-recovery-left-other" }, &[("count", &view.recovery_codes_left.to_string())])}</p>
                }.into_any()
            } else {
                view! {
                    <p class="callout">{t("account-2fa-recovery-fresh")}</p>
                    <ul class="recovery-codes" aria-label=t("account-2fa-recovery-list")>
                        {view.fresh_recovery_codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ErrorSummary form="renew" error=renew_error />
            <ActionForm action=renew attr:class="form" attr:novalidate=true>
                <Field name="current_password" label=t("account-your-password") kind="password" autocomplete="current-password" required=true form="renew" error=renew_error />
                <Submit label=t("account-2fa-renew") class="button button-secondary" pending=renew.pending() />
            </ActionForm>
        </section>
        <section aria-labelledby="h-off">
            <h2 id="h-off">{t("account-2fa-off")}</h2>
            {if view.required {
                view! { <p>{t("account-2fa-off-required")}</p> }.into_any()
            } else {
                view! {
                    <ErrorSummary form="off" error=disable_error />
                    <ActionForm action=disable attr:class="form" attr:novalidate=true>
                        <Field name="current_password" label=t("account-your-password") kind="password" autocomplete="current-password" required=true form="off" error=disable_error />
                        <Submit label=t("account-2fa-disable") class="button button-danger" pending=disable.pending() />
                    </ActionForm>
                }.into_any()
            }}
        </section>
        <p><A href="/account">{t("account-back-to-account")}</A></p>
    }
}
