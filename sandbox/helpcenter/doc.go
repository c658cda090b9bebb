// Package helpcenter is the help center of Crewbook, the fictional product
// the demo plays: 93 hand-written articles in four locales (articles/) and
// customer questions with the article that answers each (questions.csv).
// README.md describes the files.
//
// The heard-sandbox demo ingests Articles into heard's knowledge base; the
// knowledge-base tests read the same files from this folder by path. The
// heard binary does not embed them.
//
// This package is not a public API.
package helpcenter
