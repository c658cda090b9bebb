package policy

import "github.com/heardhq/heard/sdk"

// HardRule is a rule no classifier can overrule: a ticket tagged Tag, or
// on which Signal fired, gets Priority and Tag as its primary tag, and is
// routed to Route.
type HardRule struct {
	// Name identifies the rule, e.g. "security".
	Name string
	// Tag is the primary tag that triggers the rule and that it sets.
	Tag string
	// Signal is the text signal (an sdk.FieldSignal* name) that triggers
	// the rule.
	Signal string
	// Priority is the priority the rule forces.
	Priority sdk.Priority
	// Route is the team the ticket goes to.
	Route string
	// Reason explains the rule in decisions and notes.
	Reason string
}

// Security is the policy's one hard rule: a security report is P0, tagged
// security, and goes to the security team. The classifier merge and the
// router both build their default rules from it.
func Security() HardRule {
	return HardRule{
		Name:     "security",
		Tag:      TagSecurity,
		Signal:   sdk.FieldSignalSecurity,
		Priority: sdk.P0,
		Route:    "security-team",
		Reason:   "security reports are always P0 and go to the security team",
	}
}
