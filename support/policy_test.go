package support_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"allot/support"
)

func TestPolicyDefault(t *testing.T) {
	p := support.DefaultPolicy()
	if err := p.Check(); err != nil {
		t.Fatalf("DefaultPolicy().Check() = %v", err)
	}
	if !p.Default || !p.Calendar.AllHours {
		t.Errorf("DefaultPolicy() = %+v, want the default, every hour", p)
	}
	for _, pr := range support.Priorities {
		if got := p.For(pr).FirstResponse; got != 12*time.Hour {
			t.Errorf("the %s first response is due within %s, want the 12 h promised", pr, got)
		}
	}
	if p.For(support.Urgent).Resolution >= p.For(support.Low).Resolution {
		t.Errorf("urgent requests are resolved no sooner than low ones: %+v", p.Targets)
	}
}

func TestPolicyCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(p *support.Policy)
		field  string // "" when valid
		says   string
	}{
		{"the default", func(p *support.Policy) {}, "", ""},
		{"business hours", func(p *support.Policy) {
			p.Calendar = support.Calendar{Zone: "Europe/Berlin", Open: 540, Close: 1020, Country: "de"}
		}, "", ""},
		{"no name", func(p *support.Policy) { p.Name = "  " }, "name", ""},
		{"a long name", func(p *support.Policy) { p.Name = strings.Repeat("é", 101) }, "name", "101"},
		{"a name of 100", func(p *support.Policy) { p.Name = strings.Repeat("é", 100) }, "", ""},
		{"a bad calendar", func(p *support.Policy) { p.Calendar.Zone = "Europe/Nowhere" }, "calendar.zone", ""},
		{"a bad working day", func(p *support.Policy) { p.Calendar = support.Calendar{Open: 600, Close: 540} },
			"calendar.close", ""},
		{"no urgent targets", func(p *support.Policy) { delete(p.Targets, support.Urgent) },
			"targets.urgent.first_response", ""},
		{"no next response", func(p *support.Policy) { setTarget(p, support.High, func(t *support.Targets) { t.NextResponse = 0 }) },
			"targets.high.next_response", ""},
		{"a negative resolution", func(p *support.Policy) {
			setTarget(p, support.Low, func(t *support.Targets) { t.Resolution = -time.Hour })
		},
			"targets.low.resolution", ""},
		{"longer than 90 days", func(p *support.Policy) {
			setTarget(p, support.Low, func(t *support.Targets) { t.Resolution = 91 * 24 * time.Hour })
		},
			"targets.low.resolution", "91 days"},
		{"90 days", func(p *support.Policy) {
			setTarget(p, support.Low, func(t *support.Targets) { t.Resolution = 90 * 24 * time.Hour })
		},
			"", ""},
		{"first response after resolution", func(p *support.Policy) {
			setTarget(p, support.Urgent, func(t *support.Targets) { t.FirstResponse, t.Resolution = 8*time.Hour, 4*time.Hour })
		}, "targets.urgent.first_response", "4 h"},
		{"an unknown priority", func(p *support.Policy) { p.Targets["critical"] = p.Targets[support.Urgent] },
			"targets.critical", "critical"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := support.DefaultPolicy()
			tc.change(&p)
			checkField(t, p.Check(), tc.field, tc.says)
		})
	}
}

// setTarget changes the targets of priority pr in p.
func setTarget(p *support.Policy, pr support.Priority, change func(t *support.Targets)) {
	t := p.Targets[pr]
	change(&t)
	p.Targets[pr] = t
}

func TestPolicyFor(t *testing.T) {
	p := support.DefaultPolicy()
	if got := p.For(support.Urgent).NextResponse; got != 4*time.Hour {
		t.Errorf("urgent next response %s, want 4 h", got)
	}
	if got, want := p.For("critical"), p.For(support.Normal); got != want {
		t.Errorf("For an unknown priority = %+v, want the normal one's %+v", got, want)
	}
}

func TestPolicyPriorities(t *testing.T) {
	queue := slices.SortedFunc(slices.Values(support.Priorities), func(a, b support.Priority) int { return a.Rank() - b.Rank() })
	if want := []support.Priority{support.Urgent, support.High, support.Normal, support.Low}; !slices.Equal(queue, want) {
		t.Errorf("queue order %v, want %v", queue, want)
	}
	for _, pr := range support.Priorities {
		if !pr.Valid() {
			t.Errorf("%s is not valid", pr)
		}
	}
	if support.Priority("critical").Valid() || support.Priority("").Valid() {
		t.Error("an unknown priority is valid")
	}
	if support.Priority("critical").Rank() <= support.Low.Rank() {
		t.Error("an unknown priority ranks before low")
	}
}
