// Package redact removes personal data and secrets from free text before the
// text leaves the process: before a stage sees a ticket, before an LLM call
// and before an embedding.
//
// Redact replaces what it recognises with a placeholder naming the kind:
//
//	[EMAIL]    e-mail addresses
//	[PHONE]    phone numbers: international (+49 30 1234567, 0044 20 7946 0958),
//	           North American ((415) 555-0132), national with a trunk 0
//	           (030 12345678, 01 42 68 53 00), and any digits after a
//	           "phone:"/"Tel."/"call me at" style label
//	[CARD]     payment card numbers: 13-19 digits, optionally grouped with
//	           spaces or dashes, with a card-issuer first digit and a valid
//	           Luhn check digit
//	[IBAN]     IBANs whose mod-97 check digits are right
//	[SECRET]   API keys and tokens: sk-..., ghp_..., xoxb-..., AKIA...,
//	           "Bearer <token>", JWTs, and long high-entropy hex or base64
//	[ADDRESS]  street addresses with a house number and a street word in
//	           English, German, French or Spanish ("221B Baker Street",
//	           "Hauptstraße 5", "12 rue de la Paix", "Calle Mayor 3")
//
// Detection is tuned to keep what triage needs: dates, times, prices,
// version strings, IP addresses and invoice or order numbers survive. The
// checksums (Luhn, mod-97) are what let a 16-digit order number through
// while a card number with the same shape is removed; a plain run of digits
// with no separators and no label is never taken for a phone number.
//
// Redaction is best effort, not a guarantee: it recognises common formats,
// and callers should still treat redacted text as sensitive.
//
// This package is not a public API.
package redact
