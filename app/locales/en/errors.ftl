## Errors (AppError); messages about a single field are shown at the field
error-unauthenticated = Please sign in to continue.
error-forbidden = You do not have permission to do this.
error-not-found = This page or entry does not exist.
error-validation = Please check the marked fields.
error-invalid-credentials = The email address or password is wrong.
error-email-not-confirmed = Please confirm your email address first, using the link in our email. We have just sent you the link again.
error-rate-limited = Too many attempts in a short time. Please wait a few minutes and try again.
error-link-invalid = This link is invalid, has expired or has already been used. Please request a new one.
error-blocked = Your account is blocked. Please contact the council staff.
error-two-factor-required = Staff accounts need two-factor sign-in. Please set it up under “My account” → “Two-factor sign-in”.
error-internal = An internal error occurred. Please try again later.
error-unavailable = The service is unavailable right now (the database is restarting). Please try again in a minute.
error-request = The request could not be processed. Please reload the page and try again.
