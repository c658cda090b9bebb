// Package wiretest holds checks shared by the tests of heard's plugin
// helpers for other languages (sdk/python, sdk/typescript): each helper
// ships an error fixture plugin that answers Classify with a known error
// per subject, and these checks say how heard must see each one. It is not
// a public API.
package wiretest
