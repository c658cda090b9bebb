// Package redact removes personal data and secrets from free text before the
// text leaves the process: the pipeline redacts every fetched ticket once,
// before any stage, plugin, LLM prompt or embedding sees it and before a
// solved ticket is indexed (Redactor.Ticket).
//
// Redact replaces what it recognises with a placeholder naming the kind:
//
//	[EMAIL]        e-mail addresses, internationalised ones, quoted local
//	               parts ("john smith"@example.com) and ones written out
//	               ("jane.doe [at] example [dot] com", "jane(at)example.de")
//	[PHONE]        international numbers (+44 20 7946 0958, 0044 ...),
//	               national formats of the US, UK, DE, FR, ES, IN, BR and JP,
//	               any digits after a "phone:", "call me at", "Handy",
//	               "mon numéro" style label, and seven or more digits spelled
//	               out in English, German, French or Spanish
//	[CARD]         payment card numbers grouped with spaces, dashes or dots,
//	               with an issuer's first digit and a valid Luhn check digit
//	[IBAN]         IBANs of every country that issues them, at the country's
//	               length, with any one separator and valid mod-97 digits
//	[NATIONAL_ID]  US SSN (SSA issuing rules), UK National Insurance number,
//	               Spanish DNI/NIE (control letter), French NIR (key), Brazilian
//	               CPF (check digits), Indian Aadhaar (Verhoeff)
//	[IP]           IPv4 and IPv6 addresses, except loopback and unspecified
//	[CREDENTIAL]   the value after "password", "passcode", "PIN", "Passwort",
//	               "mot de passe", "contraseña", "senha"
//	[PASSPORT]     a passport number after a passport word
//	[DOB]          a date after a birth word (DOB, born, geboren, né le, nacido)
//	[SECRET]       API keys and tokens: sk-..., ghp_..., xoxb-..., AKIA...,
//	               "Bearer <token>", JWTs, and long high-entropy hex or base64
//	[ADDRESS]      street addresses with a house number and a street word in
//	               English, German, French or Spanish
//	[NAME]         a name after an introduction ("my name is", "ich heiße",
//	               "je m'appelle", "me llamo"), in a sign-off ("Thanks, Anna",
//	               "Mit freundlichen Grüßen\nMax Müller") or a greeting line,
//	               and the requester's own name anywhere (WithKnown)
//
// Detection keeps what triage needs: order and invoice numbers, amounts,
// versions, dates and times without a birth word, ticket ids and HTTP codes
// survive. The checksums (Luhn, mod-97, control letters) let a 16-digit
// order number through while a card number of the same shape is removed;
// a plain run of digits with no separators and no label is never taken for
// a phone number. testdata/corpus.tsv is a labelled corpus; TestCorpus
// prints recall and precision per kind and holds them to the goals.
//
// Most support text holds little to redact, so Find indexes each text once
// (its digits, "@" and ":" positions, every labelled rule's label words in
// one pass) and lets each expression walk only what could hold a match:
// the runs of characters it can consume (worked out from the parsed
// expression) with enough digits, or the lines around its labels. Exact
// pre-tests skip a rule whose required words are absent. None of this
// changes a result: TestGolden holds every span and redacted text of some
// 9,000 texts to testdata/golden.txt.gz (recorded before the speed-ups;
// -update rewrites it, only for an intended change of results), and
// TestFindMatchesReference and FuzzFindMatchesReference compare Find with
// the plain algorithm, kept in the tests.
//
// Redaction is best effort, not a guarantee: it recognises common formats,
// and callers should still treat redacted text as sensitive.
//
// This package is not a public API.
package redact
