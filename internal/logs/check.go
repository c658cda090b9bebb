package logs

import (
	"bytes"
	"encoding/json"
	"slices"
)

// DuplicateKeys returns the keys a JSON log line repeats within one object
// (nested ones as "group.key"), in order; nil when none is repeated or the
// line is not a JSON object. Tests use it to check a run's log.
func DuplicateKeys(line []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(line))
	var dups []string
	if err := objectKeys(dec, "", &dups); err != nil {
		return nil
	}
	return dups
}

// objectKeys reads one JSON value from dec, recording repeated keys of the
// objects in it under prefix.
func objectKeys(dec *json.Decoder, prefix string, dups *[]string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		var seen []string
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			k, _ := kt.(string)
			if slices.Contains(seen, k) {
				*dups = append(*dups, prefix+k)
			}
			seen = append(seen, k)
			if err := objectKeys(dec, prefix+k+".", dups); err != nil {
				return err
			}
		}
		_, err = dec.Token() // '}'
		return err
	case json.Delim('['):
		for dec.More() {
			if err := objectKeys(dec, prefix, dups); err != nil {
				return err
			}
		}
		_, err = dec.Token() // ']'
		return err
	}
	return nil
}
