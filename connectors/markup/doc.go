// Package markup renders heard's plain-text internal notes and public
// replies as the HTML help desks take, and recognises heard's markers in
// what the help desks send back.
//
// Every note ends with the paragraph "— heard [fp:FP]" and every public
// reply with "[ref:FP]" (sdk.NoteMarker, sdk.ReplyMarker), FP being the
// write-back's fingerprint. Connectors look for the marker on the ticket
// before posting, which is what makes a retried write-back post each of
// them once. The three built-in connectors share this package so a note
// reads the same in every help desk.
package markup
