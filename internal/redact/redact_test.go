package redact

import (
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk"
)

type redactCase struct {
	name string
	in   string
	want string // "" means: unchanged
}

func runCases(t *testing.T, r *Redactor, cases []redactCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == "" {
				want = tc.in
			}
			if got := r.Redact(tc.in); got != want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tc.in, got, want)
			}
		})
	}
}

// survivors is text every kind must leave alone: dates, times, prices,
// versions, order and invoice numbers, IP addresses.
var survivors = []redactCase{
	{name: "iso date", in: "It broke on 2024-03-15 at 09:30."},
	{name: "german date", in: "Seit dem 15.03.2024 geht nichts mehr."},
	{name: "us date", in: "Since 03/15/2024 the export fails."},
	{name: "month year", in: "Renewal in 05/2024, invoice for 01/02/2024."},
	{name: "date dashes", in: "Meeting 09-11-2023 10:00 confirmed"},
	{name: "price usd", in: "We were charged $1,299.00 instead of $129.90."},
	{name: "price eur", in: "Rechnung über 1.299,00 € und 49,99 EUR."},
	{name: "version", in: "Upgraded from v2.3.4 to 10.4.1 (build 20240315.1)."},
	{name: "loopback", in: "listening on 127.0.0.1:8080 and [::1]:9090, 0.0.0.0 too"},
	{name: "order number", in: "Order #1234567890123 and order 4532015112830367 are missing."},
	{name: "invoice number", in: "Invoice INV-2024-000123, ticket 98765, PO 4500012345."},
	{name: "timestamp ms", in: "event at 1710495000123 failed"},
	{name: "percent", in: "usage is down +20% and latency +350 ms"},
	{name: "uuid", in: "request id 3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c failed"},
	{name: "git sha short", in: "fixed in commit 9fceb02 on main"},
	{name: "url path", in: "see https://docs.example.com/Guides/Setup2024/IntegrationWithZendesk/Overview"},
	{name: "slug", in: "https://example.com/blog/how-to-configure-webhooks-for-your-account-2024"},
	{name: "counts", in: "3 main issues, 12 users, route 66, 5 stars"},
	{name: "sk prose", in: "we use sk-learn-installation-guide-for-everyone internally"},
	{name: "bearer prose", in: "I am the bearer of bad news about Bearer authentication."},
}

func TestRedactSurvivors(t *testing.T) {
	runCases(t, New(), survivors)
}

func TestRedactEmail(t *testing.T) {
	runCases(t, New(), []redactCase{
		{name: "plain", in: "Mail me at jane.doe@example.com please", want: "Mail me at [EMAIL] please"},
		{name: "plus and subdomain", in: "<ops+alerts@mail.acme.co.uk>", want: "<[EMAIL]>"},
		{name: "two", in: "a@b.io, c_d@e-f.org", want: "[EMAIL], [EMAIL]"},
		{name: "no tld", in: "user@localhost is the login"},
		{name: "at sign", in: "meet @ 10, ping @jane"},
	})
}

func TestRedactPhone(t *testing.T) {
	runCases(t, New(), []redactCase{
		{name: "intl spaced", in: "Call +44 20 7946 0958 today", want: "Call [PHONE] today"},
		{name: "intl compact", in: "+4915112345678.", want: "[PHONE]."},
		{name: "intl parens", in: "ring +49 (0)30 1234567", want: "ring [PHONE]"},
		{name: "intl us", in: "+1 (415) 555-0132", want: "[PHONE]"},
		{name: "double zero", in: "0044 20 7946 0958", want: "[PHONE]"},
		{name: "intl then date", in: "+49 30 1234567 2024-03-15", want: "[PHONE] 2024-03-15"},
		{name: "nanp parens", in: "my cell (415) 555-0132.", want: "my cell [PHONE]."},
		{name: "nanp dashes", in: "Reach 415-555-0132 or 1-800-555-0199", want: "Reach [PHONE] or [PHONE]"},
		{name: "nanp dots", in: "415.555.0132", want: "[PHONE]"},
		{name: "german landline", in: "unter 030 12345678 erreichbar", want: "unter [PHONE] erreichbar"},
		{name: "german mobile dash", in: "0171-1234567", want: "[PHONE]"},
		{name: "german slash", in: "030/1234567", want: "[PHONE]"},
		{name: "uk national", in: "020 7946 0958", want: "[PHONE]"},
		{name: "french pairs", in: "au 01 42 68 53 00 ou 06.12.34.56.78", want: "au [PHONE] ou [PHONE]"},
		{name: "label en", in: "Phone: 5550132", want: "Phone: [PHONE]"},
		{name: "label de", in: "Tel.: 0301234567", want: "Tel.: [PHONE]"},
		{name: "label fr", in: "Téléphone : 0142685300", want: "Téléphone : [PHONE]"},
		{name: "label es", in: "teléfono 912345678", want: "teléfono [PHONE]"},
		{name: "call me at", in: "call me at 4155550132 tomorrow", want: "call me at [PHONE] tomorrow"},
		{name: "unlabelled digits", in: "reference 4155550132 and 01711234567"},
		{name: "double zero no separator", in: "order 0012345678"},
		{name: "phone model", in: "Phone 15 Pro, mobile app 2.3.1"},
		{name: "short intl", in: "+49 30"},
	})
}

func TestRedactCard(t *testing.T) {
	runCases(t, New(), []redactCase{
		{name: "visa spaced", in: "card 4111 1111 1111 1111 exp 12/27", want: "card [CARD] exp 12/27"},
		{name: "visa plain", in: "4111111111111111", want: "[CARD]"},
		{name: "mastercard dashes", in: "5500-0000-0000-0004.", want: "[CARD]."},
		{name: "amex", in: "Amex 3782 822463 10005", want: "Amex [CARD]"},
		{name: "with cvv after", in: "4111 1111 1111 1111 123", want: "[CARD] 123"},
		{name: "luhn fails", in: "4111 1111 1111 1112"},
		{name: "order number luhn fails", in: "Order 4532015112830367"},
		{name: "issuer digit", in: "tracking 1234567812345670"},
		{name: "too short", in: "411111111111"},
		{name: "mixed separators", in: "4111 1111-1111 1111"},
		{name: "decimal", in: "4111111111111111.50"},
	})
}

func TestRedactIBAN(t *testing.T) {
	runCases(t, New(), []redactCase{
		{name: "de grouped", in: "IBAN: DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX", want: "IBAN: [IBAN], BIC COBADEFFXXX"},
		{name: "de compact", in: "DE89370400440532013000", want: "[IBAN]"},
		{name: "gb", in: "pay GB82 WEST 1234 5698 7654 32 now", want: "pay [IBAN] now"},
		{name: "fr lower", in: "fr14 2004 1010 0505 0001 3m02 606", want: "[IBAN]"},
		{name: "word after", in: "DE89370400440532013000 TODO", want: "[IBAN] TODO"},
		{name: "bad check digits", in: "DE88 3704 0044 0532 0130 00"},
		{name: "invoice code", in: "AB12 3456 7890 1234"},
	})
}

func TestRedactSecret(t *testing.T) {
	runCases(t, New(), []redactCase{
		{name: "openai", in: "key=sk-proj-4f9Xb2LmQ8rT1vW7yZ3aC5dE", want: "key=[SECRET]"},
		{name: "stripe", in: "sk_live_51HxYz2KpQ9rLmN8", want: "[SECRET]"},
		{name: "github", in: "token ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", want: "token [SECRET]"},
		{name: "slack", in: "xoxb-1234567890-0987654321-AbCdEfGhIjKl", want: "[SECRET]"},
		{name: "aws", in: "AKIAIOSFODNN7EXAMPLE used", want: "[SECRET] used"},
		{name: "bearer", in: "Authorization: Bearer abc123def456ghi789", want: "Authorization: Bearer [SECRET]"},
		{name: "jwt", in: "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok", want: "jwt [SECRET] ok"},
		{name: "hex", in: "secret 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", want: "secret [SECRET]"},
		{name: "base64", in: "api_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", want: "api_key: [SECRET]"},
		{name: "low entropy hex", in: "00000000000000000000000000000000000001"},
		{name: "long decimal", in: "12345678901234567890123456789012345"},
		{name: "camel words", in: "AbstractSingletonProxyFactoryBeanTests"},
	})
}

func TestRedactAddress(t *testing.T) {
	runCases(t, New(), []redactCase{
		{name: "en baker street", in: "I live at 221B Baker Street, London.", want: "I live at [ADDRESS], London."},
		{name: "en abbreviation", in: "ship to 10 Downing St. please", want: "ship to [ADDRESS] please"},
		{name: "en sentence end", in: "Write to 221B Baker Street. Thanks", want: "Write to [ADDRESS]. Thanks"},
		{name: "en avenue", in: "1600 Pennsylvania Avenue NW", want: "[ADDRESS] NW"},
		{name: "de compound", in: "Hauptstraße 5, 10115 Berlin", want: "[ADDRESS], 10115 Berlin"},
		{name: "de two words", in: "Berliner Str. 12a", want: "[ADDRESS]"},
		{name: "de weg", in: "Am Lindenweg 3 wohnen", want: "Am [ADDRESS] wohnen"},
		{name: "fr rue", in: "au 12 rue de la Paix, Paris", want: "au [ADDRESS], Paris"},
		{name: "fr avenue", in: "5 bis, avenue Foch", want: "[ADDRESS]"},
		{name: "es calle", in: "vivo en Calle Mayor 3, Madrid", want: "vivo en [ADDRESS], Madrid"},
		{name: "es avenida", in: "Avenida de la Constitución, 12", want: "[ADDRESS]"},
		{name: "en lowercase", in: "we have 3 main street issues"},
		{name: "en count", in: "Top 10 Ways to win, 2 Factor authentication"},
		{name: "fr prose", in: "2 routes vers le serveur, 3 place holders"},
		{name: "de prose", in: "Die Straße ist lang, Platz 2 im Ranking"},
	})
}

func TestRedactStructured(t *testing.T) {
	runCases(t, New(), []redactCase{
		{name: "ipv4", in: "Our proxy at 192.168.100.200 blocks it.", want: "Our proxy at [IP] blocks it."},
		{name: "ipv6", in: "from 2001:db8::8a2e:370:7334 today", want: "from [IP] today"},
		{name: "version is no ip", in: "agent v1.2.3.4 and version 10.4.1.2"},
		{name: "card dots", in: "card 4111.1111.1111.1111", want: "card [CARD]"},
		{name: "card unicode dashes", in: "5500–0000–0000–0004", want: "[CARD]"},
		{name: "iban dashes", in: "DE89-3704-0044-0532-0130-00", want: "[IBAN]"},
		{name: "iban unknown country", in: "ZZ89 3704 0044 0532 0130 00"},
		{name: "ssn", in: "SSN 123-45-6789", want: "SSN [NATIONAL_ID]"},
		{name: "ssn never issued", in: "code 666-12-3456 and 900-12-3456"},
		{name: "dni letter", in: "DNI 12345678Z", want: "DNI [NATIONAL_ID]"},
		{name: "dni wrong letter", in: "DNI 12345678A"},
		{name: "cpf", in: "CPF 529.982.247-25", want: "CPF [NATIONAL_ID]"},
		{name: "cpf wrong digit", in: "CPF 529.982.247-26"},
		{name: "phone unicode dash", in: "ring 415‑555‑0132", want: "ring [PHONE]"},
		{name: "phone spelled", in: "call four one five five five five zero one three two", want: "call [PHONE]"},
		{name: "phone label no separators", in: "my mobile is 4155550132", want: "my mobile is [PHONE]"},
		{name: "email idn", in: "write to jürgen@bücher.de now", want: "write to [EMAIL] now"},
		{name: "email quoted", in: `login "john smith"@example.com`, want: "login [EMAIL]"},
		{name: "email obfuscated", in: "jane.doe [at] example [dot] com", want: "[EMAIL]"},
		{name: "look at a site", in: "please look at example.com"},
		{name: "password", in: "my password is hunter2!", want: "my password is [CREDENTIAL]"},
		{name: "password prose", in: "my password is not working"},
		{name: "pin", in: "PIN 4821", want: "PIN [CREDENTIAL]"},
		{name: "passport", in: "passport number C01X00T47", want: "passport number [PASSPORT]"},
		{name: "dob", in: "DOB: 04/12/1987", want: "DOB: [DOB]"},
		{name: "date without birth word", in: "invoice date 04/12/1987"},
		{name: "intro", in: "Hi, my name is Anna Weber.", want: "Hi, my name is [NAME]."},
		{name: "sign-off", in: "Thanks,\nAnna", want: "Thanks,\n[NAME]"},
		{name: "sign-off team", in: "Thanks,\nThe Support Team"},
		{name: "not an intro", in: "I'm happy with it. This is Urgent, please."},
	})
}

func TestWithKnown(t *testing.T) {
	r := New().WithKnown([]string{"Weber, Anna", ""}, []string{"Anna.Weber@Kleinwerk.example", "not-an-email"})
	in := "ANNA WEBER wrote from anna.weber@kleinwerk.example; ask Weber or anna. Webern is a composer."
	want := "[NAME] wrote from [EMAIL]; ask [NAME] or anna. Webern is a composer."
	if got := r.Redact(in); got != want {
		t.Errorf("Redact(%q)\n got %q\nwant %q", in, got, want)
	}
	if r2 := New().WithKnown(nil, nil); r2.Redact("Anna") != "Anna" {
		t.Error("WithKnown without values redacts a bare name")
	}
}

func TestFindSpansOriginalOffsets(t *testing.T) {
	in := "Tél : ０６ １２ ３４ ５６ ７８ – merci"
	spans := New().Find(in)
	if len(spans) != 1 || spans[0].Kind != KindPhone {
		t.Fatalf("Find(%q) = %v; want one phone", in, spans)
	}
	if got, want := in[spans[0].Start:spans[0].End], "０６ １２ ３４ ５６ ７８"; got != want {
		t.Errorf("span text %q; want %q", got, want)
	}
}

func TestOnly(t *testing.T) {
	r := New(Only(KindEmail))
	in := "jane@example.com, +44 20 7946 0958"
	if got, want := r.Redact(in), "[EMAIL], +44 20 7946 0958"; got != want {
		t.Errorf("Only(KindEmail).Redact = %q; want %q", got, want)
	}
	if got := (&Redactor{}).Redact(in); got != in {
		t.Errorf("zero Redactor changed the text: %q", got)
	}
}

func TestRedactIsIdempotent(t *testing.T) {
	once := Redact(benchTicket)
	if twice := Redact(once); twice != once {
		t.Errorf("second pass changed the text:\n%s\n---\n%s", once, twice)
	}
	for _, leak := range []string{"jane.doe@example.com", "4111", "0958", "DE89", "ghp_", "Baker"} {
		if strings.Contains(once, leak) {
			t.Errorf("redacted ticket still contains %q:\n%s", leak, once)
		}
	}
}

const benchTicket = `Hi team,

since the update to v4.2.1 on 2024-03-15 our invoices (INV-2024-000123, order #1234567890123)
show $1,299.00 instead of $129.90. Please refund the difference to card 4111 1111 1111 1111
or wire it to DE89 3704 0044 0532 0130 00.

You can reach me at jane.doe@example.com or +44 20 7946 0958 (office: 221B Baker Street).
Our integration uses ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 and the webhook at
https://hooks.example.com/v1/events fails with HTTP 500 every 10 minutes.

Thanks, Jane
`

func BenchmarkRedact(b *testing.B) {
	b.SetBytes(int64(len(benchTicket)))
	for b.Loop() {
		_ = Redact(benchTicket)
	}
}

func BenchmarkRedactClean(b *testing.B) {
	clean := strings.Repeat("The export to CSV has been failing since Monday for all of our users. ", 20)
	b.SetBytes(int64(len(clean)))
	for b.Loop() {
		_ = Redact(clean)
	}
}

func TestTicket(t *testing.T) {
	in := &sdk.Ticket{
		Subject:   "Refund for Anna",
		Requester: sdk.Party{ID: "u1", Name: "Anna Weber", Email: "Anna.Weber@Kleinwerk.example"},
		Fields:    map[string]string{"phone": "+49 30 1234567"},
		Customer:  map[string]string{sdk.AttrPlan: "business"},
		Messages: []sdk.Message{
			{Author: sdk.Party{Name: "Anna Weber", Email: "anna.weber@kleinwerk.example"}, Body: "Weber here, write to anna.weber@kleinwerk.example"},
			{FromAgent: true, Author: sdk.Party{Name: "Sam", Email: "sam@heard.example"}, Body: "Hi Anna,\nsorted."},
		},
	}
	out := New().Ticket(in)
	if out.Subject != "Refund for [NAME]" {
		t.Errorf("Subject = %q", out.Subject)
	}
	if out.Requester != (sdk.Party{ID: "u1", Email: "@kleinwerk.example"}) {
		t.Errorf("Requester = %+v; want the ID and the domain", out.Requester)
	}
	if out.Fields["phone"] != "[PHONE]" || out.Customer[sdk.AttrPlan] != "business" {
		t.Errorf("Fields %v Customer %v", out.Fields, out.Customer)
	}
	if got, want := out.Messages[0].Body, "[NAME] here, write to [EMAIL]"; got != want {
		t.Errorf("customer message %q; want %q", got, want)
	}
	if got, want := out.Messages[1].Body, "Hi [NAME],\nsorted."; got != want {
		t.Errorf("agent message %q; want %q", got, want)
	}
	if out.Messages[1].Author.Name != "" || out.Messages[1].Author.Email != "@heard.example" {
		t.Errorf("agent author %+v", out.Messages[1].Author)
	}
	if in.Requester.Name != "Anna Weber" || in.Messages[0].Body == out.Messages[0].Body || in.Fields["phone"] == "[PHONE]" {
		t.Error("Ticket modified its input")
	}
	if again := New().Ticket(out); again.Messages[0].Body != out.Messages[0].Body || again.Subject != out.Subject {
		t.Errorf("redacting a redacted ticket changed it: %q", again.Messages[0].Body)
	}
}

func TestOriginal(t *testing.T) {
	raw := &sdk.Ticket{Subject: "raw"}
	red := New().Ticket(raw)
	ctx := WithOriginal(t.Context(), red, raw)
	if Original(ctx, red) != raw {
		t.Error("Original of the redacted ticket is not the raw one")
	}
	other := &sdk.Ticket{}
	if Original(ctx, other) != other || Original(t.Context(), red) != red {
		t.Error("Original returned a ticket it was not given for")
	}
}
