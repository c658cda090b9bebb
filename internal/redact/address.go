package redact

import "regexp"

// Street addresses: a house number next to a street word. Street names are
// capitalised; that, and the house number, keeps "3 main issues" and
// "route 66" out.
var (
	// reAddrEN: "221B Baker Street", "10 Downing St.", "1600 Pennsylvania
	// Avenue".
	reAddrEN = regexp.MustCompile(`\b[0-9]{1,5}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'\-]*\.?\s+){1,4}` +
		`(?:(?:Street|Road|Avenue|Boulevard|Lane|Drive|Court|Place|Square|Terrace|Way|Close|Crescent|Parkway|Highway|Loop)\b` +
		`|(?:St|Rd|Ave|Blvd|Ln|Dr|Ct)\b\.?)`)

	// reAddrDE: "Hauptstraße 5", "Berliner Str. 12a", "Am Lindenweg 3".
	reAddrDE = regexp.MustCompile(`(?:\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|allee|platz|gasse|ufer|damm|chaussee)` +
		`|\b[A-ZÄÖÜ][a-zäöüß]+(?:er|e)?\s+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ufer|Damm|Chaussee))` +
		`\s+[0-9]{1,4}(?:\s?[a-zA-Z]\b)?`)

	// reAddrFR: "12 rue de la Paix", "5 bis, avenue Foch", "3 place de
	// l'Église".
	reAddrFR = regexp.MustCompile(`\b[0-9]{1,4}(?:\s?(?:bis|ter))?,?\s+` +
		`(?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours)\s+` +
		`(?:(?:de la|de l'|du|des|de|d')\s*)?\p{Lu}[\p{L}'\-]*(?:\s+(?:de\s+|du\s+|des\s+)?\p{Lu}[\p{L}'\-]*){0,3}`)

	// reAddrES: "Calle Mayor 3", "Avenida de la Constitución, 12",
	// "C/ Alcalá nº 45".
	reAddrES = regexp.MustCompile(`\b(?:Calle|C/|Avenida|Avda\.?|Plaza|Paseo|Camino|Carretera|Ronda|Travesía|Rambla)\s*` +
		`(?:(?:de la|de los|de las|del|de)\s+)?\p{Lu}[\p{L}'\-]*(?:\s+(?:de\s+|del\s+)?\p{Lu}[\p{L}'\-]*){0,3}` +
		`,?\s+(?:n[º°o]\.?\s*)?[0-9]{1,4}\b`)
)

// The street words each address expression requires, for the rules'
// pre-tests. reAddrEN and reAddrES are case-sensitive, so their words are
// looked for as written ("Av" stands for Avenue, Ave, Avenida and Avda;
// "St" for Street and St). reAddrDE's words are either lower-case
// suffixes or capitalised words, both of which the lower-cased text holds
// in lower case. reAddrFR's are case-insensitive ("all" stands for
// "allée" in any case).
var (
	addrENWords = []string{"St", "Road", "Rd", "Av", "Boulevard", "Blvd", "Lane", "Ln", "Dr", "Court", "Ct", "Place", "Square",
		"Terrace", "Way", "Close", "Crescent", "Parkway", "Highway", "Loop"}
	addrDEWords = []string{"straße", "strasse", "str.", "weg", "allee", "platz", "gasse", "ufer", "damm", "chaussee"}
	addrFRWords = []string{"rue", "av", "boulevard", "bd", "place", "chemin", "all", "impasse", "quai", "route", "cours"}
	addrESWords = []string{"Calle", "C/", "Av", "Plaza", "Paseo", "Camino", "Carretera", "Ronda", "Travesía", "Rambla"}
)
