package draft

import (
	"fmt"
	"time"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// calendarNames are a language's weekday (Sunday first) and month names.
type calendarNames struct {
	weekdays [7]string
	months   [12]string
}

var calendars = map[string]calendarNames{
	"en": {
		[7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		[12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	},
	"de": {
		[7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
		[12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	},
	"fr": {
		[7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
		[12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	},
	"es": {
		[7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
		[12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	},
}

// firstResponseTargets and resolutionTargets are the policy's default SLA
// targets before the tier multiplier, for when the request carries no due
// time.
var firstResponseTargets, resolutionTargets = func() (fr, res map[sdk.Priority]time.Duration) {
	fr, res = map[sdk.Priority]time.Duration{}, map[sdk.Priority]time.Duration{}
	for _, l := range policy.PriorityLevels() {
		fr[l.Priority], res[l.Priority] = l.FirstResponse, l.Resolution
	}
	return fr, res
}()

// NextUpdate is the time a draft promises the customer the next update.
// The reply itself is the first response, so the promise is the resolution
// due time; when that is unknown or already past, it is the first-response
// due time, or now plus the priority's first-response target (P2's when
// the priority is unknown) when that is unknown or past too.
// An angry customer gets the earlier of the two: a specific, near update
// time, without raising the ticket's priority; so does a cancellation,
// whose confirmation should not wait for the resolution time. Drafts show the time rounded
// down to the quarter hour, so the promise never falls after the deadline.
func NextUpdate(req Request, s Situation) time.Time {
	now := req.now()
	fr, ok := firstResponseTargets[req.Priority]
	if !ok {
		fr = firstResponseTargets[policy.DefaultPriority]
	}
	soon := now.Add(fr)
	if req.FirstResponseDue.After(now) {
		// The SLA's own first-response time: a promise never runs ahead
		// of what the plan's hours allow ("tomorrow" on a plan whose
		// first response is due in 16 days).
		soon = req.FirstResponseDue
	}
	due := req.ResolutionDue
	if due.IsZero() {
		if d, ok := resolutionTargets[req.Priority]; ok {
			due = now.Add(d)
		}
	}
	if !due.After(now) {
		return soon
	}
	if (s == SituationAngry || s == SituationCancel) && soon.Before(due) {
		return soon
	}
	return due
}

// promiseTime rounds a due time down to the quarter hour, so the promise
// is never later than the deadline; when that would be in the past it
// keeps the minute.
func promiseTime(due, now time.Time) time.Time {
	q := due.Truncate(15 * time.Minute)
	if q.After(now) {
		return q
	}
	return due.Truncate(time.Minute)
}

// readableTime writes t for a customer in lang, relative to now, in loc:
// "17:00 UTC today", "heute um 17:00 Uhr (UTC)", "aujourd'hui à 17h00
// (UTC)", "hoy a las 17:00 (UTC)"; a weekday within six days, a full date
// beyond.
func readableTime(lang string, t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	names := calendars[lang]
	zone := t.Format("MST")
	days := dayDiff(now, t)
	wd, day, month := names.weekdays[t.Weekday()], t.Day(), names.months[t.Month()-1]
	hm := t.Format("15:04")
	switch lang {
	case "de":
		when := fmt.Sprintf("%s, %d. %s,", wd, day, month)
		switch {
		case days == 0:
			when = "heute"
		case days == 1:
			when = "morgen"
		case days < 7:
			when = wd
		}
		return fmt.Sprintf("%s um %s Uhr (%s)", when, hm, zone)
	case "fr":
		when := fmt.Sprintf("%s %d %s", wd, day, month)
		switch {
		case days == 0:
			when = "aujourd'hui"
		case days == 1:
			when = "demain"
		case days < 7:
			when = wd
		}
		return fmt.Sprintf("%s à %s (%s)", when, t.Format("15h04"), zone)
	case "es":
		when := fmt.Sprintf("el %s %d de %s", wd, day, month)
		switch {
		case days == 0:
			when = "hoy"
		case days == 1:
			when = "mañana"
		case days < 7:
			when = "el " + wd
		}
		art := "a las"
		if t.Hour() == 1 {
			art = "a la"
		}
		return fmt.Sprintf("%s %s %s (%s)", when, art, hm, zone)
	}
	when := fmt.Sprintf("on %s %d %s", wd, day, month)
	switch {
	case days == 0:
		when = "today"
	case days == 1:
		when = "tomorrow"
	case days < 7:
		when = "on " + wd
	}
	return fmt.Sprintf("%s %s %s", hm, zone, when)
}

// readableDate writes a date for a customer: "3 March", "3. März",
// "3 mars", "3 de marzo".
func readableDate(lang string, t time.Time) string {
	month := calendars[lang].months[t.Month()-1]
	switch lang {
	case "de":
		return fmt.Sprintf("%d. %s", t.Day(), month)
	case "es":
		return fmt.Sprintf("%d de %s", t.Day(), month)
	}
	return fmt.Sprintf("%d %s", t.Day(), month)
}

// dayDiff counts calendar days from a to b in their (shared) location.
func dayDiff(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	da := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}
