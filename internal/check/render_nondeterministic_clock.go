package check

import (
	"time"

	"github.com/Masterminds/sprig/v3"
)

// clockShift is how far the second render's clock runs ahead: more than
// a year and an odd number of days, hours, minutes and seconds, so that
// every field of a date (year, month, day, weekday, hour, minute, second)
// differs from the first render's, and `{{ now | date "2006-01-02" }}` is
// caught as surely as a timestamp with nanoseconds.
const clockShift = 400*24*time.Hour + 7*time.Hour + 13*time.Minute + 17*time.Second

// shiftedClockFuncs are sprig's template functions that read the wall
// clock, as they would behave on a machine whose clock is shift ahead
// (sprig v3.3.0 functions.go genericMap, date.go): `now`; `ago`, which
// measures from the clock; `date`, `dateInZone` (`date_in_zone`),
// `htmlDate` and `htmlDateInZone`, which format the current time when
// their date argument is not a time or a Unix timestamp; and
// `durationRound`, which measures a time argument from the clock. The
// others in date.go (`dateModify`, `toDate`, `unixEpoch`, `duration`)
// compute from their arguments only. With a time argument every function
// delegates to sprig's own, so output that does not depend on the clock
// is exactly Helm's.
func shiftedClockFuncs(shift time.Duration) map[string]any {
	orig := sprig.TxtFuncMap()
	now := func() time.Time { return time.Now().Add(shift) }
	// orClock is the date argument sprig's dateInZone would use: the value
	// itself when it is a time or a Unix timestamp, else the clock.
	orClock := func(d any) any {
		switch d.(type) {
		case time.Time, *time.Time, int64, int, int32:
			return d
		}
		return now()
	}
	dateInZone := orig["dateInZone"].(func(string, any, string) string)
	origRound := orig["durationRound"].(func(any) string)
	inZone := func(format string, d any, zone string) string { return dateInZone(format, orClock(d), zone) }
	return map[string]any{
		"now":            now,
		"date":           func(format string, d any) string { return inZone(format, d, "Local") },
		"dateInZone":     inZone,
		"date_in_zone":   inZone,
		"htmlDate":       func(d any) string { return inZone("2006-01-02", d, "Local") },
		"htmlDateInZone": func(d any, zone string) string { return inZone("2006-01-02", d, zone) },
		"ago": func(d any) string {
			// sprig's dateAgo accepts fewer types than dateInZone.
			t := now()
			switch d := d.(type) {
			case time.Time:
				t = d
			case int64:
				t = time.Unix(d, 0)
			case int:
				t = time.Unix(int64(d), 0)
			}
			return now().Sub(t).Round(time.Second).String()
		},
		"durationRound": func(d any) string {
			if t, ok := d.(time.Time); ok {
				return origRound(int64(now().Sub(t)))
			}
			return origRound(d)
		},
	}
}
